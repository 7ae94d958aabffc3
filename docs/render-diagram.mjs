// Renders a BPMN file of processes/ to docs/<name>.svg and .png with bpmn-js in Chromium (playwright-core).
// node docs/render-diagram.mjs escalation-ladder   (CHROMIUM=/usr/bin/chromium by default; CJK labels need a CJK font)
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const name = process.argv[2] ?? 'escalation-ladder';
const xml = readFileSync(`processes/${name}.bpmn`, 'utf8');
const viewer = readFileSync('node_modules/bpmn-js/dist/bpmn-viewer.production.min.js', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1980, height: 400 } });
  await page.setContent('<html><body style="margin:0;background:#fff"><div id="c" style="width:1980px;height:400px"></div></body></html>');
  await page.addScriptTag({ content: viewer });
  const svg = await page.evaluate(async (source) => {
    const v = new globalThis.BpmnJS({ container: '#c' });
    await v.importXML(source);
    v.get('canvas').zoom('fit-viewport');
    return (await v.saveSVG()).svg;
  }, xml);
  writeFileSync(`docs/${name}.svg`, svg);
  await page.screenshot({ path: `docs/${name}.png`, fullPage: true });
} finally {
  await browser.close();
}
