import { Injectable } from '@nestjs/common';
import type { PortableTimerLiteral } from './runtime/portable-literal.js';
import type { ServiceHandler, TimerLiteralResolver } from './runtime/step-context.js';

/**
 * Variables a domain module gives every new instance of a process (read in the starting transaction), under
 * the ones the caller passes: the settings a BPMN names (`workdays(${planReviewDays})`), so every way a process
 * is started (HTTP, import, a call from another process, a modeler) starts it with them.
 */
export type StartDefaults = (
  definitionKey: string,
  q: { query(sql: string, params?: unknown[]): Promise<unknown> },
) => Promise<Record<string, unknown>>;

/**
 * The only way BPMN reaches code: handlers registered here by name, in the code. A definition naming
 * anything else is refused at deploy. Domain modules register their handlers at module init.
 */
@Injectable()
export class HandlerRegistry {
  private readonly handlers = new Map<string, ServiceHandler>();
  private literal: TimerLiteralResolver | null = null;
  private portable: PortableTimerLiteral | null = null;
  private readonly defaults: StartDefaults[] = [];

  register(name: string, handler: ServiceHandler): void {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`invalid handler name ${name}`);
    if (this.handlers.has(name)) throw new Error(`handler ${name} registered twice`);
    this.handlers.set(name, handler);
  }

  get map(): ReadonlyMap<string, ServiceHandler> {
    return this.handlers;
  }

  names(): ReadonlySet<string> {
    return new Set(this.handlers.keys());
  }

  /**
   * The calendar module plugs the working-day literals in here; with `portable`, the engine's threads resolve
   * them too (without it, a step whose definition may need them runs on the main thread).
   */
  setTimerLiteral(resolver: TimerLiteralResolver, portable?: PortableTimerLiteral): void {
    this.literal = resolver;
    this.portable = portable ?? null;
  }

  get timerLiteral(): TimerLiteralResolver | null {
    return this.literal;
  }

  get portableLiteral(): PortableTimerLiteral | null {
    return this.portable;
  }

  addStartDefaults(provider: StartDefaults): void {
    this.defaults.push(provider);
  }

  /** `given` over what the registered providers give a new instance of `definitionKey`. */
  async startVariables(
    definitionKey: string,
    q: Parameters<StartDefaults>[1],
    given: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    if (!this.defaults.length) return given;
    const out: Record<string, unknown> = {};
    for (const provider of this.defaults) Object.assign(out, await provider(definitionKey, q));
    return { ...out, ...given };
  }
}
