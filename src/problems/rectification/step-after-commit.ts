import type { StepService } from '../../engine/step.service.js';

/** What `StepService.start` collects for after its caller's commit (timers to schedule, services to run). */
export type StepAfterCommit = Extract<NonNullable<Parameters<StepService['start']>[4]>, { after: unknown }>['after'];

export function newAfterCommit(): StepAfterCommit {
  return { schedule: [], unschedule: [], services: new Set(), newExternalTopics: new Set(), events: [] };
}
