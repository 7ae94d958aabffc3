import { cleanText, escapeControls, escapeLogText } from './control-chars.js';

const forged = 'p1\r\n[Nest] 1  - 03/02/2026, 9:00:00 AM     LOG [auth] admin signed in';
const ansi = 'red\u001b[31mALERT\u001b[0m \u001b]0;title\u0007 \u009b2J end';

describe('control characters in caller text', () => {
  it('cleanText keeps the visible text and drops every control character and escape sequence', () => {
    expect(cleanText(forged)).toBe('p1[Nest] 1  - 03/02/2026, 9:00:00 AM     LOG [auth] admin signed in');
    expect(cleanText(ansi)).toBe('redALERT   end');
    expect(cleanText('整改\u2028方案\u2029\u0085\u000b\u000c\t')).toBe('整改方案');
    expect(cleanText('report\u202efdp.exe\u2066\ufeff')).toBe('reportfdp.exe');
    expect(cleanText('\u001b')).toBe('');
    expect(cleanText('市环保局 (HBJ) — 2017-06-30')).toBe('市环保局 (HBJ) — 2017-06-30');
    for (let c = 0; c < 0xa0; c++) {
      if ((c >= 0x20 && c < 0x7f) || c === 0x1b || c === 0x9b) continue;
      expect(cleanText(`a${String.fromCharCode(c)}b`)).toBe('ab');
    }
    // ESC and CSI start a sequence: its final character goes with it.
    expect(cleanText('a\u001bcb')).toBe('ab');
    expect(cleanText('a\u009b1mb')).toBe('ab');
  });

  it('escapeControls writes each control character as a visible escape', () => {
    expect(escapeControls('a\r\nb\tc\u001b[31md\u2028e\u0000')).toBe('a\\r\\nb\\tc\\x1b[31md\\u2028e\\x00');
    expect(escapeControls('督办 ok')).toBe('督办 ok');
  });

  it('escapeLogText keeps one entry: no line a message could start, stack frames still on their own lines', () => {
    const oneLine = 'deployed x from p1\\r\\n[Nest] 1  - 03/02/2026, 9:00:00 AM     LOG [auth] admin signed in';
    expect(escapeLogText(`deployed x from ${forged}`)).toBe(oneLine);
    const err = new Error(`could not read ${forged}`);
    const out = escapeLogText(err.stack!);
    const lines = out.split('\n');
    expect(lines[0]).toContain('could not read p1\\r\\n[Nest]');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\s+at \S/);
    expect(out).not.toMatch(/[\r\u001b\u2028\u2029]/);
  });
});
