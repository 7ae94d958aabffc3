import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import type { Queryable } from '../engine/definition.service.js';
import { StepService } from '../engine/step.service.js';
import { OutboxSender } from './outbox-sender.js';
import type { NotifyEvent, NotifyPayload } from './notify.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TaskCreated {
  taskId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[] | null;
  dueAt: number | null;
}

/**
 * Enqueues notifications in the caller's transaction (one outbox row per event and channel, never two),
 * and tells the sender after the commit. A new user task notifies its candidate groups (unit codes: the
 * unit's channels and its persons'; role names: that role's channels) and its assignee (a person id).
 */
@Injectable()
export class NotifyService implements OnModuleInit {
  /** Something was enqueued since the last commit hook: worth a drain. */
  private dirty = false;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly steps: StepService,
    private readonly sender: OutboxSender,
  ) {}

  onModuleInit(): void {
    // Whether any channel is enabled, read with the instance by every step: none (the usual case) costs no statement.
    this.steps.addLookup('notify_channels', '(SELECT EXISTS (SELECT 1 FROM notify_channel WHERE enabled))');
    this.steps.onStep(async (e, m, scope) => {
      if (e.type === 'task.created' && scope.lookups.notify_channels === true)
        await this.taskCreated(scope.instance.business_key, e.payload as unknown as TaskCreated, m);
    });
    this.steps.onCommitted(() => {
      if (!this.dirty) return;
      this.dirty = false;
      this.sender.kick();
    });
  }

  /**
   * Adds the event to the outbox for every enabled channel it reaches, in `manager`'s transaction when
   * given (the sender picks it up after the commit: at the next step commit or poll), else at once.
   * Answers how many new rows were written (0 when the event was already enqueued).
   */
  async enqueue(event: NotifyEvent, manager?: EntityManager): Promise<number> {
    const q: Queryable = manager ?? this.db;
    const personIds = event.personIds.filter((p) => UUID.test(p));
    const payload: NotifyPayload = { kind: event.kind, title: event.title, text: event.text, link: event.link };
    const now = this.clock.date();
    const rows: { status: string }[] = await q.query(
      `INSERT INTO notify_outbox (id, event_key, event_kind, channel_id, payload, status, attempts, next_attempt_at, created_at, sent_at)
       SELECT gen_random_uuid(), $1, $2, c.id, $3::jsonb, CASE WHEN c.kind = 'inapp' THEN 'sent' ELSE 'pending' END, 0, $4, $4,
              CASE WHEN c.kind = 'inapp' THEN $4::timestamptz END
       FROM notify_channel c
       WHERE c.enabled AND (
         (c.owner_type = 'unit' AND c.owner_code = ANY($5::text[]))
         OR (c.owner_type = 'role' AND c.owner_code = ANY($6::text[]))
         OR (c.owner_type = 'person' AND (c.owner_id = ANY($7::uuid[]) OR c.owner_id IN (SELECT id FROM org_person WHERE unit_code = ANY($5::text[])))))
       ON CONFLICT (event_key, channel_id) DO NOTHING
       RETURNING status`,
      [event.key, event.kind, JSON.stringify(payload), now, event.unitCodes, event.roles ?? [], personIds],
    );
    if (rows.some((r) => r.status === 'pending')) {
      if (manager) this.dirty = true;
      else this.sender.kick();
    }
    return rows.length;
  }

  /** An assignee names a person (by id) or an account (by id or username) whose person it is. */
  private async personsOfAssignee(assignee: string, m: EntityManager): Promise<string[]> {
    const rows: { person_id: string }[] = await m.query(
      `SELECT person_id FROM account WHERE (username = $1 OR id::text = $1) AND person_id IS NOT NULL`,
      [assignee],
    );
    return [...new Set([...(UUID.test(assignee) ? [assignee] : []), ...rows.map((r) => r.person_id)])];
  }

  /** Whether any channel is enabled, read once per transaction however many tasks it creates. */
  private readonly channelsIn = new WeakMap<object, Promise<boolean>>();

  private anyChannel(m: EntityManager): Promise<boolean> {
    const key = m.queryRunner;
    let known = key ? this.channelsIn.get(key) : undefined;
    if (!known) {
      known = m
        .query(`SELECT EXISTS (SELECT 1 FROM notify_channel WHERE enabled) AS yes`)
        .then((rows: { yes: boolean }[]) => rows[0]?.yes === true);
      if (key) this.channelsIn.set(key, known);
    }
    return known;
  }

  private async taskCreated(businessKey: string | null, t: TaskCreated, m: EntityManager): Promise<void> {
    const groups = t.candidateGroups ?? [];
    if (!groups.length && !t.assignee) return;
    if (!(await this.anyChannel(m))) return;
    const personIds = t.assignee ? await this.personsOfAssignee(t.assignee, m) : [];
    const [problem]: { id: string; code: string; title: string }[] = businessKey
      ? await m.query(`SELECT p.id, p.code, p.title FROM problem p WHERE p.code = $1`, [businessKey])
      : [];
    const name = t.name ?? '待办任务';
    const lines = [
      problem ? `问题：${problem.code} ${problem.title}` : null,
      `任务：${name}`,
      t.dueAt ? `期限：${chinaTime(t.dueAt)}` : null,
    ];
    await this.enqueue(
      {
        key: `task:${t.taskId}`,
        kind: 'task',
        unitCodes: groups,
        roles: groups,
        personIds,
        title: problem ? `${name}：${problem.title}` : name,
        text: lines.filter(Boolean).join('\n'),
        link: problem ? `/api/problems/${problem.id}` : null,
      },
      m,
    );
  }
}

/** 2026-03-02 08:00 in China time. */
export function chinaTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
