/** The one clock of business time: deadlines, timers, documents, bulletins read it, never Date directly. */
export abstract class Clock {
  abstract now(): number;
  date(): Date {
    return new Date(this.now());
  }
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/**
 * A clock that tests and the admin endpoint can pin and advance. Pinned, it stands still; otherwise it runs
 * with the system clock plus an offset.
 */
export class ControlledClock extends Clock {
  private pinned: number | null = null;
  private offset = 0;

  constructor(start?: number) {
    super();
    if (start !== undefined) this.pinned = start;
  }

  now(): number {
    return this.pinned ?? Date.now() + this.offset;
  }

  pin(epochMilli: number): void {
    this.pinned = epochMilli;
  }

  /** Sets the time, pinned or running as the clock is. */
  set(epochMilli: number): void {
    if (this.pinned !== null) this.pinned = epochMilli;
    else this.offset = epochMilli - Date.now();
  }

  add(offsetMilli: number): void {
    if (this.pinned !== null) this.pinned += offsetMilli;
    else this.offset += offsetMilli;
  }

  get isPinned(): boolean {
    return this.pinned !== null;
  }
}

/**
 * Security time: token expiry, sign-in lock windows, rate limits. Always real time, whatever the business clock
 * says: moving the controlled clock a day forward must not sign everyone out, nor moving it back stretch a token.
 */
export abstract class WallClock {
  abstract now(): number;
}
