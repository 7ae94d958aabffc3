/**
 * Caller text that reaches a stored name or a log line must not carry control characters: a CR or LF forges a
 * log line, an ANSI escape rewrites the operator's terminal, U+2028/2029 break lines in JavaScript and JSON
 * viewers, and bidirectional overrides make a name read differently from what it is.
 */

// Terminal escape sequences: CSI (ESC [ … or C1 0x9b …), OSC (ESC ] … BEL or ESC \), and any other ESC + one byte.
const ANSI = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[\s\S]?/g;
// C0 and C1 (line breaks and tabs among them), DEL, U+2028/2029, bidirectional marks, embeddings, overrides and
// isolates, and the byte-order mark.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
// A V8 stack frame ("    at fn (file:1:2)"): the one kind of line break a log message may keep.
const STACK_FRAME = /^\s+at \S/;

/** Caller text as a stored name: escape sequences and control characters removed. */
export function cleanText(text: string): string {
  return text.replace(ANSI, '').replace(CONTROLS, '');
}

/** Each control character as a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\u2028`), the rest of the text unchanged. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    if (named[c]) return named[c];
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A log message made one entry: every control character escaped, except the line breaks before the frames of
 * a stack trace, so a trace stays readable and text inside a message at most continues its entry as an
 * indented line, never starts an entry of its own.
 */
export function escapeLogText(text: string): string {
  const lines = text.split('\n');
  let out = escapeControls(lines[0]);
  for (const line of lines.slice(1)) out += (STACK_FRAME.test(line) ? '\n' : '\\n') + escapeControls(line);
  return out;
}

/** class-transformer's `@Transform` for a name field: cleaned (see cleanText) and trimmed before it is validated. */
export const cleanName = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? cleanText(value).trim() : value;
