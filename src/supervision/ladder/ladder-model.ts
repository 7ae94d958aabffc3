import { Injectable } from '@nestjs/common';
import { CalendarService } from '../../calendar/calendar.service.js';
import { DefinitionService, type Queryable } from '../../engine/definition.service.js';
import type { HandlerContext } from '../../engine/runtime/step-context.js';
import { substituteVariables } from './ladder-rules.js';

/** A rung's element as deployed: its name and its `camunda:properties`. */
export interface RungElement {
  id: string;
  name: string;
  properties: Record<string, string>;
}

interface ContextApi {
  getActivityById(id: string): any;
  getActivities(scopeId?: string): any[];
  getOutboundSequenceFlows(id: string): { targetId: string }[];
}

const MAX_WALK = 20;

/**
 * What the ladder's BPMN says about a rung, read from the deployed definition (so a rung added in the modeler
 * needs no code): the rung's name and properties, and whether the next rung's timer is already due.
 */
@Injectable()
export class LadderModel {
  constructor(
    private readonly definitions: DefinitionService,
    private readonly calendar: CalendarService,
  ) {}

  async element(ctx: HandlerContext, tx: Queryable): Promise<RungElement> {
    const api = await this.context(ctx, tx);
    const a = api.getActivityById(ctx.activityId);
    const properties: Record<string, string> = {};
    for (const ext of a?.behaviour?.extensionElements?.values ?? []) {
      if (ext.$type === 'camunda:Properties')
        for (const p of ext.values ?? []) if (p.name) properties[p.name] = String(p.value ?? '');
    }
    return { id: ctx.activityId, name: String(a?.name ?? a?.behaviour?.name ?? ctx.activityId), properties };
  }

  /**
   * The due time of the next rung's timer after this rung (the first timer reached along the outgoing flows),
   * or null when no timer follows (the last rung) or it cannot be computed here.
   */
  async nextRungDue(ctx: HandlerContext, tx: Queryable): Promise<{ id: string; name: string; dueAt: number } | null> {
    const api = await this.context(ctx, tx);
    const seen = new Set<string>([ctx.activityId]);
    let frontier = [ctx.activityId];
    for (let depth = 0; depth < MAX_WALK && frontier.length; depth++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const f of api.getOutboundSequenceFlows(id) ?? []) {
          if (seen.has(f.targetId)) continue;
          seen.add(f.targetId);
          const target = api.getActivityById(f.targetId);
          if (!target) continue;
          // The next rung's timer: a timer event on the way, or a timer on the border of the next wait.
          const timed =
            timerOf(target) !== null
              ? target
              : (api.getActivities() ?? []).find((a) => attachedTo(a) === target.id && timerOf(a) !== null);
          if (timed) {
            const dueAt = this.dueAt(timerOf(timed)!, ctx);
            return dueAt === null ? null : { id: timed.id, name: String(timed.name ?? timed.id), dueAt };
          }
          // Through gateways and other events; a task ends the search (the next rung has no timer of its own).
          if (/Gateway$|Event$/.test(String(target.type)) && target.type !== 'bpmn:EndEvent') next.push(target.id);
        }
      }
      frontier = next;
    }
    return null;
  }

  private dueAt(expr: string, ctx: HandlerContext): number | null {
    const value = substituteVariables(expr, ctx.variables);
    if (value === null) return null;
    try {
      const literal = this.calendar.resolveLiteral(value, ctx.now);
      if (literal) return literal.expireAt;
    } catch {
      return null;
    }
    const at = Date.parse(value);
    return isNaN(at) ? null : at;
  }

  private async context(ctx: HandlerContext, tx: Queryable): Promise<ContextApi> {
    const [inst] = await tx.query(`SELECT definition_id FROM engine_instance WHERE id = $1`, [ctx.instanceId]);
    if (!inst) throw new Error(`${ctx.activityId}: instance ${ctx.instanceId} not found`);
    return (await this.definitions.context(inst.definition_id, tx)) as ContextApi;
  }
}

function attachedTo(activity: any): string | undefined {
  return activity?.behaviour?.attachedTo?.id ?? activity?.attachedTo?.id;
}

/** The timer expression of an element (its timeDate, timeDuration or timeCycle), as deployed. */
export function timerOf(activity: any): string | null {
  for (const ed of activity?.behaviour?.eventDefinitions ?? []) {
    if (ed.type !== 'bpmn:TimerEventDefinition') continue;
    const b = ed.behaviour ?? {};
    const v = b.timeDate ?? b.timeDuration ?? b.timeCycle;
    const text = typeof v === 'string' ? v : v?.body;
    if (typeof text === 'string' && text.trim()) return text.trim();
  }
  return null;
}
