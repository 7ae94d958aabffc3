import { SaxesParser } from 'saxes';
import type { DeployProblem } from './deploy-error.js';

export const MAX_DEPTH = 200;
export const MAX_ELEMENTS = 2000;
/** A diagram draws each element with a shape or an edge, its bounds, waypoints and label: this many per element. */
export const DIAGRAM_ELEMENTS_PER_ELEMENT = 10;
const DIAGRAM_NS = new Set([
  'http://www.omg.org/spec/BPMN/20100524/DI',
  'http://www.omg.org/spec/DD/20100524/DC',
  'http://www.omg.org/spec/DD/20100524/DI',
]);
// Past the first few, syntax errors are mostly echoes of the first one.
const MAX_XML_ERRORS = 10;

export interface XmlScan {
  problems: DeployProblem[];
  /** The encoding the XML declaration names, if any. */
  encoding?: string;
  /** The root element's namespace URI and local name. */
  root?: { uri: string; local: string };
}

class StopScan extends Error {}

// Reaching these from a `${...}` leads to Function() or to prototype pollution (bpmn-elements' lookups walk
// any property and call any function they reach). Names starting with `$` are the runtime's own: the step
// context (`environment.services.$step`) holds the database transaction and, through it, the connection settings.
const FORBIDDEN = /(?:^|[^\w$])(constructor|prototype|__\w*|\$[A-Za-z_][\w$]*)(?![\w$])/;

/** The forbidden property an expression's inner text reaches into, or null. */
export function forbiddenProperty(inner: string): string | null {
  const m = FORBIDDEN.exec(inner);
  return m ? m[1] : null;
}

/** Every `${...}` inside a text, as the engine's own pattern finds them. */
function expressionsIn(text: string): string[] {
  return text.includes('${') ? [...text.matchAll(/\$\{(.+?)\}/g)].map((m) => m[1]) : [];
}

/**
 * A strict, streaming pass over the raw text before bpmn-moddle sees it. bpmn-moddle's parser is lenient and
 * recursive: it expands nothing dangerous today, but refusing DOCTYPEs, entities and PIs here keeps XXE and
 * billion-laughs out whatever the parser below does, and the depth cap keeps its recursion bounded. Counting the
 * elements here refuses a huge model for the price of this pass, before the parse that costs ~0.25 ms an element.
 */
export function scanXml(xml: string, maxDepth = MAX_DEPTH, maxElements = MAX_ELEMENTS): XmlScan {
  const scan: XmlScan = { problems: [] };
  const problems = scan.problems;
  const parser = new SaxesParser({ xmlns: true, position: true });
  // Nearest element id for each open element, so a problem in a text or attribute names its element.
  const context: string[] = [];
  let depth = 0;
  let xmlErrors = 0;
  let elements = 0;
  let diagramElements = 0;

  const add = (reason: string, element?: string) => problems.push(element ? { element, reason } : { reason });
  const at = () => `line ${parser.line}, column ${parser.column}`;
  const checkText = (text: string) => {
    for (const inner of expressionsIn(text)) {
      const bad = forbiddenProperty(inner);
      if (bad)
        add(`expression '\${${inner}}' reaches into '${bad}', which is not allowed`, context[context.length - 1]);
    }
  };

  parser.on('error', (err) => {
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*?)\.?$/.exec(err.message);
    const where = m ? `line ${m[1]}, column ${m[2]}` : at();
    const what = m ? m[3] : err.message;
    if (/undefined entity/.test(what))
      add(`entity references other than the 5 predefined XML entities are not allowed (${where})`);
    else add(`XML is not well-formed at ${where}: ${what}`);
    if (++xmlErrors >= MAX_XML_ERRORS) throw new StopScan();
  });
  parser.on('xmldecl', (decl) => {
    scan.encoding = decl.encoding;
  });
  parser.on('doctype', () => add(`DOCTYPE is not allowed (${at()})`));
  parser.on('processinginstruction', (pi) => add(`processing instruction <?${pi.target}?> is not allowed (${at()})`));
  parser.on('opentagstart', () => {
    if (++depth > maxDepth) {
      add(`nesting deeper than ${maxDepth} elements is not allowed (${at()})`);
      throw new StopScan();
    }
  });
  parser.on('opentag', (tag) => {
    if (!scan.root) scan.root = { uri: tag.uri, local: tag.local };
    if (!DIAGRAM_NS.has(tag.uri) && ++elements > maxElements) {
      add(`the file holds more than ${maxElements} elements, its diagram aside (DUBAN_MAX_BPMN_ELEMENTS); split it`);
      throw new StopScan();
    }
    if (DIAGRAM_NS.has(tag.uri) && ++diagramElements > maxElements * DIAGRAM_ELEMENTS_PER_ELEMENT) {
      const most = maxElements * DIAGRAM_ELEMENTS_PER_ELEMENT;
      add(`the diagram holds more than ${most} elements (${DIAGRAM_ELEMENTS_PER_ELEMENT} per DUBAN_MAX_BPMN_ELEMENTS)`);
      throw new StopScan();
    }
    const id = tag.attributes.id?.value;
    // Ids become keys of plain objects in moddle and the engine; these would reach Object.prototype.
    if (id && (id in Object.prototype || id === '__proto__')) add(`id '${id}' is reserved`, tag.name);
    context.push(id || context[context.length - 1] || tag.name);
    for (const attr of Object.values(tag.attributes)) checkText(attr.value);
  });
  parser.on('closetag', () => {
    depth--;
    context.pop();
  });
  parser.on('text', checkText);
  parser.on('cdata', checkText);

  try {
    parser.write(xml).close();
  } catch (err) {
    if (!(err instanceof StopScan)) add(`XML is not well-formed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return scan;
}
