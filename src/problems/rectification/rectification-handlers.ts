import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { chinaDate } from '../rules/china-date.js';

/**
 * The service tasks of `rectification.bpmn`. They record when each stage happened and return it as
 * variables; they read no variable and touch no table, so a re-run (a step retried after a crash) changes
 * nothing that matters. The ledger rows follow in the step's own transaction (RectificationListener): a
 * handler gets no transaction, and the embedded database has one connection, which the step holds.
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

/**
 * 销号: the day it is struck off; the re-check timer (recheckPeriod) starts from here. In `signoff.bpmn` it is
 * the end of the sign-off, which the rectification process then does not send back (signoffReturned).
 */
export function signOff(ctx: Pick<HandlerContext, 'now'>): Record<string, unknown> {
  return { signedOffOn: chinaDate(ctx.now), signoffReturned: false };
}

/** 公示 after 销号, in versions of `rectification.bpmn` before the sign-off was its own process (signoff.bpmn). */
export function publishNotice(ctx: Pick<HandlerContext, 'now'>): Record<string, unknown> {
  return { noticePublishedAt: new Date(ctx.now).toISOString() };
}

/** 反弹: the listener opens the linked round when this instance ends, in the same transaction. */
export function openReboundRound(ctx: Pick<HandlerContext, 'now'>): Record<string, unknown> {
  return { reboundOn: chinaDate(ctx.now) };
}
