import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CalendarModule } from '../calendar/calendar.module.js';
import { AuditKeyCheck } from './audit-key.check.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { StepAuditListener } from './step-audit.listener.js';

/** The tamper-evident trail: the service and its table, the engine's step events, and changes made over HTTP. */
@Module({
  imports: [CalendarModule],
  providers: [
    AuditRepository,
    AuditService,
    AuditKeyCheck,
    StepAuditListener,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  controllers: [AuditController],
  exports: [AuditService, AuditRepository],
})
export class AuditModule {}
