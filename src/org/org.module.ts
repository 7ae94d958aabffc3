import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { OrgRepository } from './org.repository.js';
import { OrgService } from './org.service.js';
import { PersonsController } from './persons.controller.js';
import { UnitsController } from './units.controller.js';

/** Units (city → departments and towns) and their persons. */
@Module({
  imports: [AuditModule],
  providers: [OrgRepository, OrgService],
  controllers: [UnitsController, PersonsController],
  exports: [OrgService, OrgRepository],
})
export class OrgModule {}
