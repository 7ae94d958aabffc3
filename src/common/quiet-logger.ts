import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { escapeLogText } from './control-chars.js';

// Nest's own start-up chatter (one line per module and route) hides what an operator needs to read.
const CHATTY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The service's logger: without Nest's start-up chatter, and with every message and stack trace escaped
 * (src/common/control-chars.ts), so caller text in a message cannot forge a line or drive the terminal.
 */
export class QuietLogger extends ConsoleLogger {
  log(message: unknown, context?: string): void {
    if (context && CHATTY.has(context) && !this.isLevelEnabled('debug')) return;
    super.log(message, context);
  }

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    const resolved = this.resolveMessage(message);
    return super.stringifyMessage(typeof resolved === 'string' ? escapeLogText(resolved) : resolved, logLevel);
  }

  protected override formatContext(context: string): string {
    return super.formatContext(context ? escapeLogText(context) : context);
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(stack ? escapeLogText(stack) : stack);
  }
}
