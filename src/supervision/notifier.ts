import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

/** What the ladder tells people; the shape of `NotifyEvent` in src/notify. */
export interface SupervisionNotice {
  key: string;
  kind: 'task' | 'reminder' | 'notice' | 'summons' | 'bulletin';
  unitCodes: string[];
  personIds: string[];
  roles?: string[];
  title: string;
  text: string;
  link: string | null;
}

interface NotifyLike {
  enqueue(event: SupervisionNotice, manager?: unknown): Promise<number>;
}

// A variable, so the build does not depend on the notifications module being there.
const NOTIFY_MODULE = '../notify/notify.service.js';

/**
 * Notifications through `NotifyService` (src/notify) when the service has one: enqueued in the step's
 * transaction (its outbox), so a rolled-back step tells nobody. Without it, nothing is sent.
 */
@Injectable()
export class SupervisionNotifier implements OnModuleInit {
  private readonly logger = new Logger('supervision');
  private notify: NotifyLike | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  async onModuleInit(): Promise<void> {
    try {
      const mod: Record<string, unknown> = await import(NOTIFY_MODULE);
      const cls = mod.NotifyService as (abstract new (...args: never[]) => unknown) | undefined;
      const service = cls ? (this.moduleRef.get(cls as never, { strict: false }) as NotifyLike) : null;
      this.notify = service && typeof service.enqueue === 'function' ? service : null;
    } catch {
      this.notify = null;
    }
    if (!this.notify) this.logger.log('no notification service: supervision actions are recorded, not sent');
  }

  get enabled(): boolean {
    return this.notify !== null;
  }

  async send(event: SupervisionNotice, tx?: unknown): Promise<void> {
    if (!this.notify) return;
    await this.notify.enqueue({ ...event, unitCodes: event.unitCodes.filter(Boolean), personIds: event.personIds.filter(Boolean) }, tx);
  }
}
