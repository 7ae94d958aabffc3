import { Module } from '@nestjs/common';
import { ProblemsModule } from '../problems/problems.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { DemoLoader } from './demo-loader.js';
import { TaskActor } from './task-actor.js';

/** The seed's plan as demo content, and the simulated units and office that act on it. */
@Module({
  imports: [ProblemsModule, ReportsModule],
  providers: [DemoLoader, TaskActor],
  exports: [DemoLoader, TaskActor],
})
export class DemoModule {}
