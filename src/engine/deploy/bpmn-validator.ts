import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { DeployError, type DeployProblem } from './deploy-error.js';
import { checkDefinitions, type PendingLiteral } from './element-rules.js';
import { MAX_DEPTH, MAX_ELEMENTS, scanXml } from './xml-safety.js';
import type { TimerLimits } from '../runtime/timer-rules.js';

export { DeployError, type DeployProblem } from './deploy-error.js';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json');

const BPMN_MODEL_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export interface ValidatorOptions {
  maxBytes: number;
  /** Names of the registered service handlers. */
  handlers: ReadonlySet<string>;
  /** Extra check for non-ISO timer literals: an error message, or null when the value is one of ours. */
  timerLiteral?: (value: string) => string | null;
  /** Collects the non-ISO timer values instead of calling `timerLiteral` (see RuleOptions). */
  pendingLiterals?: PendingLiteral[];
  timerLimits?: TimerLimits;
  /** The most elements the file may hold, its diagram aside (DUBAN_MAX_BPMN_ELEMENTS). */
  maxElements?: number;
}

export interface ValidatedDefinition {
  /** The bpmn-moddle fromXML result, parsed with the camunda extension. */
  moddleContext: unknown;
  processes: { id: string; name?: string; isExecutable: boolean }[];
  executableProcessIds: string[];
}

/**
 * Deployed BPMN is untrusted input: checks it in full and throws a DeployError listing every problem found.
 * Stops early only where later checks cannot run (too big, unreadable, not safe XML, not BPMN).
 */
export async function validateBpmn(
  resource: string,
  xml: string | Buffer,
  opts: ValidatorOptions,
): Promise<ValidatedDefinition> {
  const refuse = (problems: DeployProblem[]) => new DeployError(resource, problems);

  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (size > opts.maxBytes)
    throw refuse([{ reason: `file is ${size} bytes, over the limit of ${opts.maxBytes} bytes` }]);

  let text: string;
  try {
    // Strips a UTF-8 byte order mark, as the XML spec allows one.
    text = typeof xml === 'string' ? xml.replace(/^\uFEFF/, '') : new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch {
    throw refuse([{ reason: 'file is not valid UTF-8; save it as UTF-8' }]);
  }

  const scan = scanXml(text, MAX_DEPTH, opts.maxElements ?? MAX_ELEMENTS);
  if (scan.problems.length) throw refuse(scan.problems);
  if (scan.root?.uri !== BPMN_MODEL_NS || scan.root.local !== 'definitions') {
    const got = scan.root ? `<${scan.root.local}> in namespace '${scan.root.uri || '(none)'}'` : 'nothing';
    throw refuse([
      {
        reason: `not a BPMN 2.0 document: the root element is ${got}, expected <definitions> in namespace '${BPMN_MODEL_NS}'`,
      },
    ]);
  }

  // Files saved as ISO-8859-1 (the MIWG references) make moddle warn and read them as UTF-8. We accept that
  // only when every character is ASCII, where both encodings give the same text; anything else is refused.
  const ascii = /^[\x00-\x7F]*$/.test(text);
  const declared = scan.encoding?.trim().toLowerCase();
  const problems: DeployProblem[] = [];
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && !ascii) {
    problems.push({
      reason: `the file declares encoding ${scan.encoding} but holds non-ASCII characters; save it as UTF-8`,
    });
  }

  let moddleContext: any;
  try {
    moddleContext = await new BpmnModdle({ camunda }).fromXML(text);
  } catch (err) {
    throw refuse([
      ...problems,
      { reason: `not a BPMN 2.0 document: ${oneLine(err instanceof Error ? err.message : String(err))}` },
    ]);
  }
  const root = moddleContext.rootElement;
  for (const w of moddleContext.warnings ?? []) {
    if (/^unsupported document encoding/.test(w.message) && ascii) continue;
    if (resolveQualified(root, moddleContext, w)) continue;
    problems.push(fromWarning(w));
  }

  const defs = moddleContext.rootElement;
  nameAnonymous(defs, moddleContext);
  try {
    problems.push(...checkDefinitions(defs, opts));
  } catch (err) {
    // A rule tripping over an odd model must refuse the file, not crash the deployment.
    problems.push({ reason: `the model could not be checked: ${err instanceof Error ? err.message : String(err)}` });
  }
  if (!problems.length) {
    // Last line of defence: what passed the rules must also load in the engine.
    try {
      await new Engine({ moddleContext, moddleOptions: { camunda } }).getDefinitions();
    } catch (err) {
      problems.push({
        reason: `the engine cannot load this definition: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  if (problems.length) throw refuse(problems);

  const processes = (defs.rootElements ?? [])
    .filter((r: any) => r.$type === 'bpmn:Process')
    .map((p: any) => ({
      id: String(p.id),
      ...(p.name ? { name: String(p.name) } : {}),
      isExecutable: p.isExecutable === true,
    }));
  return {
    moddleContext,
    processes,
    executableProcessIds: processes
      .filter((p: { isExecutable: boolean }) => p.isExecutable)
      .map((p: { id: string }) => p.id),
  };
}

/**
 * `messageRef="tns:newInvoice"`, where the prefix is the file's own target namespace, names the element with id
 * `newInvoice` (Camunda resolves it so); bpmn-moddle leaves it unresolved. Resolved here; true when it was.
 */
function resolveQualified(
  defs: any,
  moddleContext: any,
  w: { message: string; element?: any; property?: string; value?: unknown },
): boolean {
  const m = /^unresolved reference <([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)>$/.exec(w.message);
  if (!m || !w.element || !w.property || !defs?.targetNamespace) return false;
  if (defs.$attrs?.[`xmlns:${m[1]}`] !== defs.targetNamespace) return false;
  const target = moddleContext.elementsById?.[m[2]];
  if (!target) return false;
  const current = w.element.get(w.property);
  if (Array.isArray(current)) current.push(target);
  else w.element.set(w.property, target);
  return true;
}

/**
 * Camunda runs files whose <definitions> or sequence flows have no id (both optional in BPMN); the engine
 * keys its state by them. They get ids here, in the parsed model only (the stored XML is the file as sent).
 */
function nameAnonymous(defs: any, moddleContext: any): void {
  if (!defs || typeof defs !== 'object') return;
  const taken = new Set(Object.keys(moddleContext.elementsById ?? {}));
  const fresh = (base: string) => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    return id;
  };
  if (!defs.id) {
    const first = (defs.rootElements ?? []).find((r: any) => r.$type === 'bpmn:Process' && r.id)?.id;
    defs.id = fresh(`Definitions_${first ?? 'anonymous'}`);
  }
  const visit = (container: any) => {
    for (const el of container.flowElements ?? []) {
      if (el.$type === 'bpmn:SequenceFlow' && !el.id && el.sourceRef?.id && el.targetRef?.id) {
        el.id = fresh(`Flow_${el.sourceRef.id}_${el.targetRef.id}`);
        if (moddleContext.elementsById) moddleContext.elementsById[el.id] = el;
      }
      if (el.flowElements) visit(el);
    }
  };
  for (const r of defs.rootElements ?? []) if (r.$type === 'bpmn:Process') visit(r);
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** A moddle warning as a problem: the nested error is the real reason, the line and column say where. */
function fromWarning(w: { message: string; element?: any; property?: string; error?: Error }): DeployProblem {
  const nested = w.error?.message;
  const line = /line: (\d+)/.exec(w.message)?.[1];
  const column = /column: (\d+)/.exec(w.message)?.[1];
  const where = line ? ` (line ${line}, column ${column})` : '';
  const reason = nested && nested !== w.message ? `${nested}${where}` : oneLine(w.message);
  const element =
    w.element?.id ??
    /^duplicate ID <(.*)>$/.exec(nested ?? '')?.[1] ??
    /^unparsable content <([^>]*)>/.exec(w.message)?.[1] ??
    (w.element?.$type as string | undefined);
  return element ? { element, reason } : { reason };
}
