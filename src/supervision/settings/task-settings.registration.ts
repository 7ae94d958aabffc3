import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queryable } from '../../engine/definition.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import { SettingsService } from './settings.service.js';
import { TASK_SETTING_KEYS } from './supervision-settings.js';

/** The processes of processes/ whose tasks are due by the settings (the ladder takes every setting itself). */
export const TASK_PROCESSES: ReadonlySet<string> = new Set([
  'rectification',
  'signoff',
  'interview',
  'inspection',
  'accountability',
  'extension',
]);

/**
 * Every process starts with the tasks' due-date settings and the chase's cadence as variables (`signDays`,
 * `planReviewDays`, `chaseEvery`…), whoever starts it: its BPMN names them in `camunda:dueDate` and in the
 * `overdue(…)` timers. A value the starter passes wins.
 */
@Injectable()
export class TaskSettingsRegistration implements OnModuleInit {
  constructor(
    private readonly registry: HandlerRegistry,
    private readonly settings: SettingsService,
  ) {}

  onModuleInit(): void {
    this.registry.addStartDefaults(async (key, q) => {
      if (!TASK_PROCESSES.has(key)) return {};
      const s = await this.settings.get(q as Queryable);
      return Object.fromEntries(TASK_SETTING_KEYS.map((k) => [k, s[k]]));
    });
  }
}
