import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DashboardService } from './dashboard.service.js';
import { DiagramController } from './diagram.controller.js';
import { DiagramRepository } from './diagram.repository.js';
import { DiagramService } from './diagram.service.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { ProblemsModule } from '../problems/problems.module.js';
import { OfficeOverdueController } from './office-overdue.controller.js';
import { OfficeOverdueRepository } from './office-overdue.repository.js';
import { OfficeOverdueService } from './office-overdue.service.js';
import { PagesController } from './pages.controller.js';
import { ProblemPageController } from './problem-page.controller.js';
import { PublicController } from './public.controller.js';
import { PublicRepository } from './public.repository.js';
import { ReviewController } from './review.controller.js';
import { ReviewRepository } from './review.repository.js';
import { ReviewService } from './review.service.js';

/** The pages (src/web/public) and the read APIs made for them: review, diagrams, dashboard, disclosure. */
@Module({
  imports: [ProblemsModule, CalendarModule],
  controllers: [
    PagesController,
    ReviewController,
    DiagramController,
    DashboardController,
    PublicController,
    ProblemPageController,
    OfficeOverdueController,
  ],
  providers: [
    ReviewRepository,
    ReviewService,
    DiagramRepository,
    DiagramService,
    DashboardRepository,
    DashboardService,
    PublicRepository,
    OfficeOverdueRepository,
    OfficeOverdueService,
  ],
})
export class WebModule {}
