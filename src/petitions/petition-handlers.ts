import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queryable } from '../engine/definition.service.js';
import { HandlerRegistry } from '../engine/handler-registry.js';
import type { HandlerContext } from '../engine/runtime/step-context.js';
import { NotifyService } from '../notify/notify.service.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { PetitionsRepository } from './petitions.repository.js';

export const PETITION = 'petition';

function stepTx(ctx: HandlerContext): Queryable {
  if (!ctx.tx) throw new Error(`${ctx.activityId}: the handler needs the step's transaction`);
  return ctx.tx as Queryable;
}

/**
 * The service tasks of `petition.bpmn`. They write in the step's transaction and are idempotent: a chase is keyed
 * by its element and execution, the close keeps the first close date.
 */
@Injectable()
export class PetitionHandlers implements OnModuleInit {
  private readonly logger = new Logger('petitions');
  private notify: NotifyService | null = null;

  constructor(
    private readonly registry: HandlerRegistry,
    private readonly petitions: PetitionsRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    try {
      this.notify = this.moduleRef.get(NotifyService, { strict: false });
    } catch {
      this.notify = null;
    }
    this.registry.register('petitionChase', (ctx) => this.chase(ctx));
    this.registry.register('petitionClose', (ctx) => this.close(ctx));
    this.registry.register('petitionToLedger', (ctx) => ({ toLedgerOn: chinaDate(ctx.now) }));
  }

  /** 催签 / 催办: one reminder to the unit, recorded against the complaint (the daily numbers count it late). */
  private async chase(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    const p = await this.petitions.findByInstance(ctx.instanceId, tx);
    if (!p) throw new Error(`${ctx.activityId}: no complaint for instance ${ctx.instanceId}`);
    const kind = ctx.activityId === 'chaseSign' ? 'sign' : 'close';
    const key = `petition:${ctx.instanceId}:${ctx.activityId}:${ctx.executionId}`;
    const fresh = await this.petitions.recordChase(key, p.id, kind, new Date(ctx.now), tx);
    if (fresh && this.notify) {
      const what = kind === 'sign' ? '已超过签收期限，请立即签收' : '已超过办结期限，请抓紧办结并报送办理情况';
      await this.notify.enqueue(
        {
          key,
          kind: 'reminder',
          unitCodes: [p.unit_code],
          personIds: [],
          title: `信访件 ${p.code} 催办`,
          text: `督察组交办的信访件 ${p.code}（${p.district}，${p.pollution_type}）${what}。`,
          link: '/inbox',
        },
        tx as Parameters<NotifyService['enqueue']>[1],
      );
    }
    if (fresh) this.logger.log(`complaint ${p.code} chased (${kind})`);
    return kind === 'sign' ? { signChasedOn: chinaDate(ctx.now) } : { closeChasedOn: chinaDate(ctx.now) };
  }

  /** 办结: the close date; 属实 with lasting harm goes on to the ledger (转入整改清单). */
  private async close(ctx: HandlerContext): Promise<Record<string, unknown>> {
    const tx = stepTx(ctx);
    await this.petitions.markClosed(ctx.instanceId, new Date(ctx.now), tx);
    // What the unit found is on the complaint's row (the sub-process's variables did not outlive it).
    const p = await this.petitions.findByInstance(ctx.instanceId, tx);
    return { closedOn: chinaDate(ctx.now), toLedger: p?.verdict === '属实' && p.lasting_harm };
  }
}
