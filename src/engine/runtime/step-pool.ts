import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../common/worker-entry.js';
import type { StepInput, StepOutcome } from './bpmn-runtime.js';
import type { PortableTimerLiteral } from './portable-literal.js';

/** What an engine thread is given of a step: its input, less what only the main thread has. */
export type PooledStepInput = Omit<
  StepInput,
  'sourceContext' | 'now' | 'handlers' | 'runServices' | 'timerLiteral' | 'tx'
> & {
  now: number;
  /** The handlers registered on the main thread: a service task naming one parks, as it does there. */
  handlerNames: string[];
};

export type StepRequest =
  | {
      kind: 'run';
      id: number;
      input: PooledStepInput;
      /** Whether the step may resolve the service's timer literals (they were configured). */
      withLiteral: boolean;
      /** The definition's serialized context, sent to each thread once. */
      context?: { id: string; source: unknown };
      /** The literals' module and data, sent to each thread once per stamp. */
      literal?: { module: string; stamp: string; data: unknown };
    }
  | { kind: 'forget'; definitionIds: string[] };

export type StepReply = {
  id: number;
  outcome?: Omit<StepOutcome, 'error'>;
  error?: { message: string; activityId: string | null } | null;
  /** The thread threw (its runtime failed outside the engine's own error handling). */
  thrown?: { message: string; activityId: string | null };
  /** The thread did not hold the definition (it was replaced): asked again with it. */
  missing?: boolean;
  notes: number[];
};

/** The thread running a step went away (crashed, out of memory, stopped): the step is run on the main thread. */
export class EngineThreadLost extends Error {}

/** An engine thread's heap: a step of a large instance takes a few MB; one that needs far more fails alone. */
const THREAD_HEAP_MB = 512;

interface Slot {
  worker: Worker;
  /** The step the thread is running (one at a time: the rest wait here, the urgent first). */
  current: { id: number; job: Job } | null;
  contexts: Set<string>;
  stamp: string | null;
}

interface Job {
  input: PooledStepInput;
  source: () => Promise<unknown>;
  resolve: (outcome: StepOutcome) => void;
  reject: (err: Error) => void;
  resent?: boolean;
}

/** An error as the step service reads it (message, and the activity it names). */
function restoredError(e: { message: string; activityId: string | null }): Error {
  return Object.assign(new Error(e.message), e.activityId ? { activityId: e.activityId } : {});
}

/**
 * Engine threads: the engine part of a step (build bpmn-engine, recover, apply, settle, read back) that reaches
 * no handler runs on one of `size` worker threads, so the main thread keeps serving requests and writing
 * rows while the CPU-bound part runs beside it, on every core. A thread runs one step at a time; steps wait
 * in two lines, the urgent one (a step someone waits on) served first, the other (runs done ahead, an
 * import's next rows) when no urgent step waits. Threads start on first use and are kept; each is sent a
 * definition's context and the calendar once. A thread that dies fails only its step, with EngineThreadLost
 * (the caller runs it on the main thread); the next step starts a new thread.
 */
export class StepPool {
  private slots: (Slot | null)[];
  private readonly urgent: Job[] = [];
  private readonly ahead: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly literal: () => PortableTimerLiteral | null,
  ) {
    this.slots = Array.from({ length: size }, () => null);
  }

  get enabled(): boolean {
    return this.size > 0 && !this.closed;
  }

  /**
   * Runs one step on the first free thread; `source` gives the definition's serialized context when needed.
   * `ahead`: a run done before anyone waits on it, which gives way to every urgent one.
   */
  run(input: PooledStepInput, source: () => Promise<unknown>, opts: { ahead?: boolean } = {}): Promise<StepOutcome> {
    if (this.closed) return Promise.reject(new EngineThreadLost('the service is stopping'));
    return new Promise<StepOutcome>((resolve, reject) => {
      (opts.ahead ? this.ahead : this.urgent).push({ input, source, resolve, reject });
      this.pump();
    });
  }

  /** Threads drop the contexts of deleted definitions. */
  forget(definitionIds: string[]): void {
    for (const slot of this.slots) {
      if (!slot) continue;
      for (const id of definitionIds) slot.contexts.delete(id);
      slot.worker.postMessage({ kind: 'forget', definitionIds } satisfies StepRequest);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.filter((s): s is Slot => s !== null);
    this.slots = this.slots.map(() => null);
    const stopping = () => new EngineThreadLost('the service is stopping');
    for (const job of [...this.urgent.splice(0), ...this.ahead.splice(0)]) job.reject(stopping());
    for (const s of slots) s.current?.job.reject(stopping());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** Hands waiting steps to free threads, starting threads while there are fewer than `size`. */
  private pump(): void {
    for (let i = 0; i < this.slots.length && !this.closed; i++) {
      if (!this.urgent.length && !this.ahead.length) return;
      const slot = this.slots[i] ?? (this.slots[i] = this.spawn(i));
      if (slot.current) continue;
      const job = (this.urgent.shift() ?? this.ahead.shift())!;
      void this.send(slot, job).catch((err: Error) => this.settle(slot, job, () => job.reject(err)));
    }
  }

  private async send(slot: Slot, job: Job): Promise<void> {
    const { input } = job;
    const portable = this.literal();
    const req: Extract<StepRequest, { kind: 'run' }> = {
      kind: 'run',
      id: this.nextId++,
      input,
      withLiteral: portable !== null,
    };
    slot.current = { id: req.id, job };
    if (job.resent || !slot.contexts.has(input.definitionId)) {
      req.context = { id: input.definitionId, source: await job.source() };
      slot.contexts.add(input.definitionId);
    }
    if (portable) {
      const snap = portable.snapshot();
      if (snap.stamp !== slot.stamp) {
        req.literal = { module: portable.module, stamp: snap.stamp, data: snap.data };
        slot.stamp = snap.stamp;
      }
    }
    slot.worker.ref();
    try {
      slot.worker.postMessage(req);
    } catch (err) {
      // A value the thread cannot be sent (not cloneable): the step runs on the main thread instead.
      throw new EngineThreadLost(`the step could not be sent to an engine thread: ${(err as Error).message}`);
    }
  }

  private answered(slot: Slot, reply: StepReply): void {
    const current = slot.current;
    if (!current || current.id !== reply.id) return;
    const { job } = current;
    if (reply.missing && !job.resent) {
      job.resent = true;
      slot.current = null;
      this.urgent.unshift(job);
      return this.pump();
    }
    const portable = this.literal();
    if (reply.notes.length) portable?.noted(reply.notes);
    this.settle(slot, job, () => {
      if (reply.thrown) job.reject(restoredError(reply.thrown));
      else if (!reply.outcome) job.reject(new EngineThreadLost('the engine thread answered nothing'));
      else job.resolve({ ...reply.outcome, error: reply.error ? restoredError(reply.error) : null });
    });
  }

  private settle(slot: Slot, job: Job, done: () => void): void {
    if (slot.current?.job === job) slot.current = null;
    if (!slot.current && !this.urgent.length && !this.ahead.length) slot.worker.unref();
    done();
    this.pump();
  }

  private spawn(index: number): Slot {
    const worker = new Worker(workerEntry(import.meta.url, 'step.worker'), {
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
    });
    const slot: Slot = { worker, current: null, contexts: new Set(), stamp: null };
    worker.unref();
    worker.on('message', (reply: StepReply) => this.answered(slot, reply));
    const lost = (reason: string) => {
      if (this.slots[index] !== slot) return;
      this.slots[index] = null;
      const job = slot.current?.job;
      slot.current = null;
      job?.reject(new EngineThreadLost(reason));
      this.pump();
    };
    worker.on('error', (err) => lost(`the engine thread failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the engine thread stopped (exit code ${code})`));
    return slot;
  }
}
