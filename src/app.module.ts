import { Module, type DynamicModule } from '@nestjs/common';
import { ClockController } from './admin/clock.controller.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { ClockModule } from './clock/clock.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { EngineModule } from './engine/engine.module.js';
import { EngineRestModule } from './engine-rest/engine-rest.module.js';
import { FilesModule } from './files/files.module.js';
import { HealthController } from './health/health.controller.js';
import { InboxModule } from './inbox/inbox.module.js';
import { NotifyModule } from './notify/notify.module.js';
import { OrgModule } from './org/org.module.js';
import { PetitionsModule } from './petitions/petitions.module.js';
import { ProblemsModule } from './problems/problems.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SupervisionModule } from './supervision/supervision.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        DatabaseModule.forRoot(),
        EngineModule,
        CalendarModule,
        EngineRestModule,
        OrgModule,
        ProblemsModule,
        ReportsModule,
        SupervisionModule,
        FilesModule,
        NotifyModule,
        AuditModule,
        AuthModule,
        InboxModule,
        WebModule,
        DemoModule,
        IncidentsModule,
        PetitionsModule,
      ],
      controllers: [HealthController, ClockController],
    };
  }
}
