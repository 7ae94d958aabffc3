import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { NotifyService } from '../notify/notify.service.js';
import type { NotifyEvent } from '../notify/notify.types.js';
import type { Queryable } from '../engine/definition.service.js';

export type SupervisionNotice = NotifyEvent;

/**
 * Notifications through `NotifyService` (src/notify) when the application has it: enqueued in the step's
 * transaction (its outbox), so a rolled-back step tells nobody. Without it, the actions are recorded only.
 */
@Injectable()
export class SupervisionNotifier implements OnModuleInit {
  private readonly logger = new Logger('supervision');
  private notify: NotifyService | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    try {
      this.notify = this.moduleRef.get(NotifyService, { strict: false });
    } catch {
      this.notify = null;
      this.logger.log('no notification service: supervision actions are recorded, not sent');
    }
  }

  async send(event: SupervisionNotice, tx?: Queryable): Promise<void> {
    if (!this.notify) return;
    const manager = tx as Parameters<NotifyService['enqueue']>[1];
    await this.notify.enqueue(
      { ...event, unitCodes: event.unitCodes.filter(Boolean), personIds: event.personIds.filter(Boolean) },
      manager,
    );
  }
}
