import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { FormRegistry } from './forms/form-registry.js';
import { InboxController } from './inbox.controller.js';
import { InboxRepository } from './inbox.repository.js';
import { InboxService } from './inbox.service.js';

@Module({
  imports: [CalendarModule],
  controllers: [InboxController],
  providers: [InboxRepository, InboxService, FormRegistry],
  exports: [FormRegistry, InboxService],
})
export class InboxModule {}
