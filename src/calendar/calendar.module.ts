import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller.js';
import { CalendarRepository } from './calendar.repository.js';
import { CalendarService } from './calendar.service.js';

/** The Chinese working-day calendar and the `workdays(…)` timer literals (HandlerRegistry, EngineModule is global). */
@Module({
  controllers: [CalendarController],
  providers: [CalendarRepository, CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
