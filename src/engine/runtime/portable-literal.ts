import type { TimerLiteralResolver } from './step-context.js';

/**
 * The service's timer literals (working days) where an engine thread can resolve them itself: the thread
 * imports `module` and calls its `createTimerLiteral(data)` with the snapshot, once per stamp. What the thread's
 * resolver notes while a step runs (the calendar's provisional years) comes back with the step, to `noted`.
 */
export interface PortableTimerLiteral {
  /** URL of a module that exports `createTimerLiteral(data): WorkerTimerLiteral`. */
  module: string;
  /** The data the module builds its resolver from, and a stamp that changes whenever the data does. */
  snapshot(): { stamp: string; data: unknown };
  noted(notes: number[]): void;
}

/** What `createTimerLiteral` returns on the engine thread. */
export interface WorkerTimerLiteral {
  resolve: TimerLiteralResolver;
  /** The notes since the last call (cleared). */
  drain(): number[];
}
