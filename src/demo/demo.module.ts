import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { PetitionsModule } from '../petitions/petitions.module.js';
import { ProblemsModule } from '../problems/problems.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { DemoLoader } from './demo-loader.js';
import { PetitionDemoLoader } from './petition-demo-loader.js';
import { TaskActor } from './task-actor.js';

/** The seed's plan as demo content, and the simulated units and office that act on it. */
@Module({
  imports: [AuditModule, ProblemsModule, ReportsModule, PetitionsModule],
  providers: [DemoLoader, TaskActor, PetitionDemoLoader],
  exports: [DemoLoader, TaskActor],
})
export class DemoModule {}
