import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { UploadRateModule } from '../common/upload-rate.js';
import { OrgModule } from '../org/org.module.js';
import { ProblemsModule } from '../problems/problems.module.js';
import { PetitionImportService } from './import/petition-import.service.js';
import { PetitionInboxForms } from './petition-forms.js';
import { PetitionHandlers } from './petition-handlers.js';
import { PetitionListener } from './petition-listener.js';
import { PetitionsController } from './petitions.controller.js';
import { PetitionsRepository } from './petitions.repository.js';
import { PetitionsService } from './petitions.service.js';
import { PublicPetitionsController } from './public-petitions.controller.js';
import { TaskPetitionController } from './task-petition.controller.js';

/** 边督边改: the inspection team's complaint batches (信访件), their processes, numbers and publication. */
@Module({
  imports: [OrgModule, ProblemsModule, AuditModule, UploadRateModule],
  providers: [
    PetitionsRepository,
    PetitionsService,
    PetitionImportService,
    PetitionHandlers,
    PetitionListener,
    PetitionInboxForms,
  ],
  controllers: [PetitionsController, PublicPetitionsController, TaskPetitionController],
  exports: [PetitionImportService, PetitionsService, PetitionsRepository],
})
export class PetitionsModule {}
