/** Delivers "look at this instance now" at a due time. PostgreSQL holds the truth; a driver only delivers. */
export abstract class TimerDriver {
  /** Deliver `timerId` of `instanceId` at `expireAt` (ms). Idempotent per timer id. */
  abstract schedule(timers: { id: string; instanceId: string; expireAt: number }[]): Promise<void>;
  abstract unschedule(timerIds: string[]): Promise<void>;
  /** Run the parked service tasks of an instance soon. */
  abstract runServices(instanceId: string): Promise<void>;
  abstract start(handler: TimerDeliveryHandler): Promise<void>;
  abstract stop(): Promise<void>;
  abstract status(): Promise<{ driver: string; ok: boolean; detail?: string }>;
  /** Called when the controlled clock moves: deliver what fell due now. */
  abstract clockMoved(): void;
}

export interface TimerDeliveryHandler {
  fireTimer(timerId: string, instanceId: string): Promise<void>;
  runServices(instanceId: string): Promise<void>;
}
