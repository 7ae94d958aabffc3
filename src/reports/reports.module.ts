import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { OrgModule } from '../org/org.module.js';
import { ProblemsModule } from '../problems/problems.module.js';
import { SupervisionModule } from '../supervision/supervision.module.js';
import { FilesModule } from '../files/files.module.js';
import { ProblemArchive, ProblemArchiveController } from './archive/problem-archive.js';
import { ActionDocuments, ActionDocumentsController } from './action-documents.js';
import { AssessmentController } from './assessment/assessment.controller.js';
import { AssessmentRepository } from './assessment/assessment.repository.js';
import { AssessmentService } from './assessment/assessment.service.js';
import { BulletinRepository } from './bulletin.repository.js';
import { BulletinService } from './bulletin.service.js';
import { BulletinsController } from './bulletins.controller.js';
import { IndicatorRepository } from './indicators/indicator.repository.js';
import { IndicatorService } from './indicators/indicator.service.js';
import { IndicatorsController } from './indicators/indicators.controller.js';
import { MonthlyCycleHandlers } from './monthly/monthly-cycle-handlers.js';
import { MonthlyCycleStarter } from './monthly/monthly-cycle.starter.js';
import { MonthlyReportRepository } from './monthly/monthly-report.repository.js';
import { MonthlyReportService } from './monthly/monthly-report.service.js';
import { MonthlyReportsController } from './monthly/monthly-reports.controller.js';
import { NoticeWriter } from './monthly/notice-writer.js';

/** Reports: the monthly bulletin (月通报), the monthly cycle (月调度、月督办), the plan's indicators, documents. */
@Module({
  imports: [OrgModule, ProblemsModule, SupervisionModule, CalendarModule, FilesModule],
  providers: [
    ActionDocuments,
    ProblemArchive,
    AssessmentRepository,
    AssessmentService,
    BulletinRepository,
    BulletinService,
    IndicatorRepository,
    IndicatorService,
    MonthlyReportRepository,
    MonthlyReportService,
    MonthlyCycleHandlers,
    MonthlyCycleStarter,
    NoticeWriter,
  ],
  controllers: [
    ProblemArchiveController,
    ActionDocumentsController,
    AssessmentController,
    BulletinsController,
    IndicatorsController,
    MonthlyReportsController,
  ],
  exports: [
    AssessmentService,
    BulletinService,
    IndicatorRepository,
    IndicatorService,
    MonthlyReportService,
    MonthlyReportRepository,
    MonthlyCycleStarter,
  ],
})
export class ReportsModule {}
