import { ConsoleLogger } from '@nestjs/common';

// Nest's own start-up chatter (one line per module and route) hides what an operator needs to read.
const CHATTY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

export class QuietLogger extends ConsoleLogger {
  log(message: unknown, context?: string): void {
    if (context && CHATTY.has(context) && !this.isLevelEnabled('debug')) return;
    super.log(message, context);
  }
}
