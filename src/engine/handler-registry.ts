import { Injectable } from '@nestjs/common';
import type { ServiceHandler, TimerLiteralResolver } from './runtime/step-context.js';

/**
 * The only way BPMN reaches code: handlers registered here by name, in the code. A definition naming
 * anything else is refused at deploy. Domain modules register their handlers at module init.
 */
@Injectable()
export class HandlerRegistry {
  private readonly handlers = new Map<string, ServiceHandler>();
  private literal: TimerLiteralResolver | null = null;

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

  /** The calendar module plugs the working-day literals in here. */
  setTimerLiteral(resolver: TimerLiteralResolver): void {
    this.literal = resolver;
  }

  get timerLiteral(): TimerLiteralResolver | null {
    return this.literal;
  }
}
