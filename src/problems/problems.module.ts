import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { IncidentsModule } from '../incidents/incidents.module.js';
import { UploadRateModule } from '../common/upload-rate.js';
import { OrgModule } from '../org/org.module.js';
import { DeadlineHooks } from './edit/deadline-hooks.js';
import { ProblemEditService } from './edit/problem-edit.service.js';
import { AppConfig } from '../config/app-config.js';
import { ImportJobRepository } from './import/import-job.repository.js';
import { ImportJobService } from './import/import-job.service.js';
import { ImportQueue, importQueue } from './import/import-queue.js';
import { ProblemImportService } from './import/problem-import.service.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerService } from './ledger.service.js';
import { ProblemDetailsRepository } from './problem-details.repository.js';
import { ProblemInstanceGuard } from './problem-instance-guard.js';
import { ProblemsController } from './problems.controller.js';
import { ProblemsRepository } from './problems.repository.js';
import { ProblemsService } from './problems.service.js';
import { LeadersController } from './leaders.controller.js';
import { RectificationHandlers } from './rectification/rectification-handlers.js';
import { ProblemTrail } from './trail/problem-trail.js';
import { RectificationListener } from './rectification/rectification-listener.js';
import { ProblemSplitController } from './split/problem-split.controller.js';
import { ProblemSplitService } from './split/problem-split.service.js';
import { SplitSignOff } from './split/split-sign-off.js';
import { PartsRepository } from './parts/parts.repository.js';
import { UnitPartsListener } from './parts/unit-parts.listener.js';

/** The problem ledger (台账), its import (交办) and export, and the rectification process's handlers. */
@Module({
  imports: [OrgModule, CalendarModule, AuditModule, UploadRateModule, IncidentsModule],
  providers: [
    ProblemsRepository,
    ProblemDetailsRepository,
    ProblemsService,
    ProblemImportService,
    ProblemEditService,
    DeadlineHooks,
    ProblemTrail,
    LedgerService,
    RectificationHandlers,
    RectificationListener,
    PartsRepository,
    UnitPartsListener,
    ProblemInstanceGuard,
    ImportJobRepository,
    ImportJobService,
    ProblemSplitService,
    SplitSignOff,
    {
      provide: ImportQueue,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => importQueue(config, 'import'),
    },
  ],
  controllers: [ProblemsController, LedgerController, LeadersController, ProblemSplitController],
  exports: [ProblemsService, ProblemsRepository, ProblemDetailsRepository, DeadlineHooks, PartsRepository],
})
export class ProblemsModule {}
