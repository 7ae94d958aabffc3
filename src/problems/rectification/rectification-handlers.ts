import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { chinaDate, chinaInstant } from '../rules/china-date.js';
import { nextRoundCode, recheckDate } from '../rules/problem-rules.js';

/**
 * The service tasks of `rectification.bpmn`. They compute what the process needs next and return it as
 * variables; they touch no table, so running one twice (a step retried after a crash) changes nothing.
 * The ledger rows follow in the step's own transaction (RectificationListener): a handler gets no
 * transaction, and on the embedded database a query of its own would wait for the step that runs it.
 */
@Injectable()
export class RectificationHandlers implements OnModuleInit {
  constructor(private readonly registry: HandlerRegistry) {}

  onModuleInit(): void {
    this.registry.register('signOff', (ctx) => signOff(ctx));
    this.registry.register('publishNotice', (ctx) => publishNotice(ctx));
    this.registry.register('openReboundRound', (ctx) => openReboundRound(ctx));
  }
}

/** 销号: the day it is struck off, and when 回头看 is due (recheckMonths later, 09:00 China time). */
export function signOff(ctx: Pick<HandlerContext, 'variables' | 'now'>): Record<string, unknown> {
  const signedOffOn = typeof ctx.variables.signedOffOn === 'string' ? ctx.variables.signedOffOn : chinaDate(ctx.now);
  const months = Number(ctx.variables.recheckMonths) > 0 ? Number(ctx.variables.recheckMonths) : 6;
  return { signedOffOn, recheckAt: chinaInstant(recheckDate(signedOffOn, months)) };
}

/** 公示: the sign-off is public from now (the disclosure page shows signed-off problems). */
export function publishNotice(ctx: Pick<HandlerContext, 'variables' | 'now'>): Record<string, unknown> {
  return { noticePublishedAt: typeof ctx.variables.noticePublishedAt === 'string' ? ctx.variables.noticePublishedAt : new Date(ctx.now).toISOString() };
}

/** 反弹: name the new round; the listener opens it with its own process when this instance ends. */
export function openReboundRound(ctx: Pick<HandlerContext, 'variables' | 'businessKey'>): Record<string, unknown> {
  const round = Number(ctx.variables.round) || 1;
  const code = String(ctx.variables.problemCode ?? ctx.businessKey ?? '');
  if (!code) throw new Error('openReboundRound: the instance has no problem code');
  return { reboundCode: nextRoundCode(code, round + 1), reboundRound: round + 1 };
}
