import { Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { WallClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainException } from './domain-exception.js';

const WINDOW_MS = 60_000;

/**
 * At most `limit` events per key in any 60 seconds (a sliding log: the times of the last `limit` events per
 * key). `now` is real time (the wall clock), not the service clock: this is about load, and the controlled clock
 * may stand still or jump.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one event for `key`: null when allowed, else the seconds until the next one would be. */
  hit(key: string): number | null {
    const now = this.now();
    const times = (this.hits.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (times.length >= this.limit) {
      this.hits.set(key, times);
      return Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000));
    }
    times.push(now);
    this.hits.delete(key); // re-inserted last: the map's order is the order of last use
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) this.evict(now);
    return null;
  }

  private evict(now: number): void {
    for (const [key, times] of this.hits) if (times[times.length - 1] <= now - WINDOW_MS) this.hits.delete(key);
    while (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value as string);
  }
}

/**
 * The upload limit of each account (DUBAN_UPLOAD_RATE_PER_MIN): evidence files and problem-list imports
 * together. Kept in this process's memory: with N nodes behind a balancer an account may upload up to N times
 * the limit, and a restart forgets the counts; enough to stop one account from flooding the disk and the
 * parsers, not an exact quota.
 */
@Injectable()
export class UploadRateLimiter {
  readonly limiter: SlidingWindowLimiter;

  constructor(config: AppConfig, wall: WallClock) {
    this.limiter = new SlidingWindowLimiter(config.DUBAN_UPLOAD_RATE_PER_MIN, () => wall.now());
  }

  /** Counts one upload of `key`; throws 429 (TOO_MANY_REQUESTS, with Retry-After) over the limit. */
  check(key: string): void {
    const wait = this.limiter.hit(key);
    if (wait === null) return;
    throw new DomainException(
      'TOO_MANY_REQUESTS',
      429,
      `此账号一分钟内上传超过 ${this.limiter.limit} 次，请 ${wait} 秒后再试`,
      {
        retryAfterSeconds: wait,
        limit: this.limiter.limit,
      },
    );
  }
}

/**
 * On upload routes, after the access guard: each call counts against the signed-in account (its client
 * address when there is none), before the body is read.
 */
@Injectable()
export class UploadRateGuard implements CanActivate {
  constructor(private readonly uploads: UploadRateLimiter) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    this.uploads.check(req.user ? `account:${req.user.accountId}` : `ip:${req.ip ?? 'unknown'}`);
    return true;
  }
}

/** One limiter for every module with an upload route (import this module; use `@UseGuards(UploadRateGuard)`). */
@Module({ providers: [UploadRateLimiter, UploadRateGuard], exports: [UploadRateLimiter, UploadRateGuard] })
export class UploadRateModule {}
