import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { ProblemsModule } from '../problems/problems.module.js';
import { IncidentsModule } from '../incidents/incidents.module.js';
import { ActionsRepository } from './actions/actions.repository.js';
import { DeadlineFollowerRegistration } from './extension/deadline-follower.js';
import { DeadlineMover } from './extension/deadline-mover.js';
import { ExtensionHandlers } from './extension/extension.handlers.js';
import { ExtensionService } from './extension/extension.service.js';
import { LadderHandlers } from './ladder/ladder.handlers.js';
import { LadderModel } from './ladder/ladder-model.js';
import { LadderThresholds } from './ladder/ladder-thresholds.js';
import { LaggingService } from './ladder/lagging.service.js';
import { SupervisionInboxForms } from './inbox-forms.js';
import { SupervisionNotifier } from './notifier.js';
import { InspectionHandlers } from './processes/inspection.handlers.js';
import { InterviewHandlers } from './processes/interview.handlers.js';
import { OverdueChaseHandlers } from './chase/overdue-chase.handlers.js';
import { SettingsService } from './settings/settings.service.js';
import { TaskSettingsRegistration } from './settings/task-settings.registration.js';
import { ExtensionController, SupervisionController } from './supervision.controller.js';
import { SupervisionEvents } from './supervision.events.js';
import { SupervisionService } from './supervision.service.js';
import { PublicNoticesController, SignoffRecordController } from './signoff/signoff.controller.js';
import { SignoffHandlers } from './signoff/signoff.handlers.js';
import { SignoffListener } from './signoff/signoff.listener.js';
import { SignoffRepository } from './signoff/signoff.repository.js';
import { SignoffService } from './signoff/signoff.service.js';

/**
 * Supervision (督办): the escalation ladder and its rungs (提醒 → 督办单 → 通报 → 约谈 → 专项督察 → 追责),
 * 催报 for lagging problems, deadline extensions, the action record and the thresholds.
 */
@Module({
  imports: [ProblemsModule, CalendarModule, IncidentsModule],
  providers: [
    ActionsRepository,
    SettingsService,
    SupervisionNotifier,
    LadderModel,
    LadderThresholds,
    LadderHandlers,
    LaggingService,
    InterviewHandlers,
    InspectionHandlers,
    DeadlineMover,
    DeadlineFollowerRegistration,
    ExtensionHandlers,
    ExtensionService,
    SupervisionEvents,
    SupervisionService,
    SupervisionInboxForms,
    TaskSettingsRegistration,
    OverdueChaseHandlers,
    SignoffRepository,
    SignoffHandlers,
    SignoffListener,
    SignoffService,
  ],
  controllers: [SupervisionController, ExtensionController, PublicNoticesController, SignoffRecordController],
  exports: [LaggingService, SettingsService, ActionsRepository],
})
export class SupervisionModule {}
