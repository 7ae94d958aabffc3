import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../common/worker-entry.js';
import type { TimerLimits } from '../runtime/timer-rules.js';
import { DeployError, type DeployProblem } from './deploy-error.js';
import type { PendingLiteral } from './element-rules.js';

export interface ParseOptions {
  maxBytes: number;
  handlers: string[];
  timerLimits: TimerLimits;
  maxElements: number;
  /** A DMN file is only checked as safe XML (it is kept, not run); BPMN otherwise. */
  kind?: 'bpmn' | 'dmn';
}

export interface ParseRequest {
  id: number;
  resource: string;
  content: string | Uint8Array;
  opts: ParseOptions;
}

/** What the main thread keeps of a checked file: the serialized definition, never the moddle tree. */
export interface ParsedDefinition {
  processes: { id: string; name?: string; isExecutable: boolean }[];
  executableProcessIds: string[];
  /** serializeContext of the parsed file, as stored and cached. */
  context: string;
}

/** The check's answer: the definition when nothing was found wrong, and the timer values left to the calendar. */
export interface ParseOutcome {
  parsed: ParsedDefinition | null;
  problems: DeployProblem[];
  /** Timer values that are not ISO 8601, for the calendar to accept as its literals or refuse. */
  pendingLiterals: PendingLiteral[];
}

export type ParseReply = ParseOutcome & { id: number };

/** How long one file may take to check before the worker is stopped and the file refused. */
export const PARSE_TIMEOUT_MS = 60_000;
/** The worker's heap: a 2 MB file's model takes ~100 MB; a file that needs far more is refused, the node unharmed. */
const WORKER_HEAP_MB = 512;

interface Waiting {
  resource: string;
  resolve: (p: ParseOutcome) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One worker thread that checks and serializes deployed BPMN (bpmn-parse.worker.ts), started on first use and
 * kept; a file that takes too long or too much memory ends the worker (the next deploy starts another).
 */
export class BpmnParseWorker {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly timeoutMs = PARSE_TIMEOUT_MS) {}

  /** Checks one file; throws DeployError when the check itself could not finish (too slow, out of memory). */
  parse(resource: string, content: string | Buffer, opts: ParseOptions): Promise<ParseOutcome> {
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise<ParseOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        const limit = this.timeoutMs < 1000 ? `${this.timeoutMs} ms` : `${Math.round(this.timeoutMs / 1000)} s`;
        const reason = `checking the file took longer than ${limit}; it was stopped`;
        this.fail(id, new DeployError(resource, [{ reason }]));
      }, this.timeoutMs);
      this.waiting.set(id, { resource, resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, resource, content, opts } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.rejectAll(() => new Error('the service is stopping'));
    if (w) await w.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(workerEntry(import.meta.url, 'bpmn-parse.worker'), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.on('message', (reply: ParseReply) => {
      const wait = this.waiting.get(reply.id);
      if (!wait) return;
      this.settle(reply.id, wait, () => wait.resolve(reply));
    });
    const lost = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.rejectAll((resource) => new DeployError(resource, [{ reason }]));
    };
    const heap = `checking the file needed more than ${WORKER_HEAP_MB} MB of memory; it was stopped`;
    worker.on('error', (err) => lost(/memory/i.test(err.message) ? heap : `the check failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the check stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  /** The file that took too long: the worker goes, and with it whatever else it was checking. */
  private fail(id: number, error: DeployError): void {
    const w = this.worker;
    const wait = this.waiting.get(id);
    if (wait) this.settle(id, wait, () => wait.reject(error));
    this.worker = null;
    const reason = 'the check was stopped with another file; deploy again';
    this.rejectAll((resource) => new DeployError(resource, [{ reason }]));
    void w?.terminate();
  }

  private rejectAll(error: (resource: string) => Error): void {
    for (const [id, wait] of this.waiting) this.settle(id, wait, () => wait.reject(error(wait.resource)));
  }

  private settle(id: number, wait: Waiting, done: () => void): void {
    clearTimeout(wait.timer);
    this.waiting.delete(id);
    if (!this.waiting.size) this.worker?.unref();
    done();
  }
}
