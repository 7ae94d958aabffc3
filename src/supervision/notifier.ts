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

  /**
   * Sends the notice; with the problem it is about, its responsible leader (责任领导) is copied (党政同责): the
   * person of the leader's account gets it through their own channels.
   */
  async send(event: SupervisionNotice, tx?: Queryable, problem?: { responsible_leader: string | null }): Promise<void> {
    if (!this.notify) return;
    const manager = tx as Parameters<NotifyService['enqueue']>[1];
    const copied = problem?.responsible_leader && tx ? await leaderPersons(tx, problem.responsible_leader) : [];
    await this.notify.enqueue(
      {
        ...event,
        unitCodes: event.unitCodes.filter(Boolean),
        personIds: [...new Set([...event.personIds, ...copied].filter(Boolean))],
      },
      manager,
    );
  }
}

/** The person of an enabled leader account (none when it has no person or is disabled). */
export async function leaderPersons(q: Queryable, username: string): Promise<string[]> {
  const rows: { person_id: string }[] = await q.query(
    `SELECT person_id FROM account WHERE username = $1 AND role = 'leader' AND NOT disabled AND person_id IS NOT NULL`,
    [username],
  );
  return rows.map((r) => r.person_id);
}
