import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The public conformance corpus; it lives outside the project. */
export const corporaDir = process.env.DUBAN_CORPORA_DIR ?? path.resolve(process.cwd(), '../shared/corpora');

/** Every BPMN file below `dir`, or none when the corpus is not there. */
export function corpusFiles(dir: string = corporaDir): string[] {
  try {
    return readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? corpusFiles(p) : /\.(bpmn|bpmn20\.xml)$/.test(n) ? [p] : [];
    });
  } catch {
    return [];
  }
}
