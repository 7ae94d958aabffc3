import { Module, type DynamicModule } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { AccountService } from '../auth/account.service.js';
import { AccountsRepository } from '../auth/accounts.repository.js';
import { LoginThrottleRepository } from '../auth/login-throttle.repository.js';
import { ClockModule } from '../clock/clock.module.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';

/** What the operator commands need: the database (migrated), accounts and the trail; no HTTP, timers or queues. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), ClockModule, DatabaseModule.forRoot()],
      providers: [AuditRepository, AuditService, AccountsRepository, LoginThrottleRepository, AccountService],
    };
  }
}
