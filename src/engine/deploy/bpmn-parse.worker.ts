import { parentPort } from 'node:worker_threads';
import { serializeContext } from '../runtime/bpmn-runtime.js';
import { validateBpmn } from './bpmn-validator.js';
import { DeployError } from './deploy-error.js';
import { checkDmn } from './deploy-resources.js';
import type { PendingLiteral } from './element-rules.js';
import type { ParseReply, ParseRequest } from './bpmn-parse-worker.js';

/**
 * The deploy check and the serialization of a definition, on a worker thread: bpmn-moddle's parse of a large
 * file takes seconds of CPU, which on the main thread would stall every request and /health meanwhile.
 */
parentPort!.on('message', (req: ParseRequest) => {
  void answer(req).then((reply) => parentPort!.postMessage(reply));
});

async function answer(req: ParseRequest): Promise<ParseReply> {
  const pendingLiterals: PendingLiteral[] = [];
  const { id } = req;
  try {
    const raw = req.content;
    const content = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (req.opts.kind === 'dmn')
      return { id, parsed: null, problems: checkDmn(content, req.opts.maxElements), pendingLiterals };
    const handlers = new Set(req.opts.handlers);
    const v = await validateBpmn(req.resource, content, { ...req.opts, handlers, pendingLiterals });
    // Camunda 7 does not carry messages along message flows (they document pools talking); bpmn-elements would
    // start the target process inside the same instance. They stay in the stored XML, out of the runtime.
    for (const root of (v.moddleContext as any).rootElement?.rootElements ?? []) {
      if (root.$type === 'bpmn:Collaboration' && root.messageFlows?.length) root.messageFlows = [];
    }
    const context = serializeContext(v.moddleContext);
    const parsed = { processes: v.processes, executableProcessIds: v.executableProcessIds, context };
    return { id, parsed, problems: [], pendingLiterals };
  } catch (err) {
    if (err instanceof DeployError) return { id, parsed: null, problems: err.problems, pendingLiterals };
    const reason = `could not be read: ${err instanceof Error ? err.message : String(err)}`;
    return { id, parsed: null, problems: [{ reason }], pendingLiterals };
  }
}
