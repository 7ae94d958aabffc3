import { isValidDate } from '../problems/rules/china-date.js';
import { MEASURES, personsOf } from './processes/inspection.handlers.js';

export interface FormProblem {
  field: string;
  message: string;
}

type Check = (v: Record<string, unknown>, today: string) => FormProblem[];

const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0 && v.length <= 10_000;
const need = (ok: boolean, field: string, message: string): FormProblem[] => (ok ? [] : [{ field, message }]);
const dateOrDateTime = (v: unknown) =>
  typeof v === 'string' &&
  (isValidDate(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !isNaN(Date.parse(v)) && isValidDate(v.slice(0, 10))));

/**
 * What each supervision form (by the task's `camunda:formKey`) must carry when its task is completed.
 * A bad form is refused with 422 naming the fields, and the task stays open.
 */
const FORMS: Record<string, Check> = {
  'interview-schedule': (v) => [
    ...need(
      dateOrDateTime(v.interviewDate),
      'interviewDate',
      'the date of the interview (YYYY-MM-DD or an ISO date-time) is required',
    ),
    ...need(nonEmpty(v.interviewPlace), 'interviewPlace', 'the place is required'),
    ...need(
      Array.isArray(v.attendees) && v.attendees.length > 0 && v.attendees.every(nonEmpty),
      'attendees',
      'a list of attendees (names) is required',
    ),
  ],
  'interview-minutes': (v) => need(nonEmpty(v.minutes), 'minutes', 'the minutes are required'),
  'interview-commitment': (v, today) => [
    ...need(nonEmpty(v.commitment), 'commitment', 'what the unit commits to is required'),
    ...(typeof v.commitmentDeadline === 'string' && isValidDate(v.commitmentDeadline)
      ? need(v.commitmentDeadline >= today, 'commitmentDeadline', `must not be before today (${today})`)
      : [{ field: 'commitmentDeadline', message: '请填写新的完成时限（YYYY-MM-DD）' }]),
  ],
  'inspection-findings': (v) => [
    ...need(nonEmpty(v.findings), 'findings', 'the findings are required'),
    ...need(typeof v.accountable === 'boolean', 'accountable', 'true when accountability is to be pursued, else false'),
  ],
  'accountability-investigation': (v) =>
    need(nonEmpty(v.investigation), 'investigation', 'the investigation report is required'),
  'accountability-decision': (v) => [
    ...need(
      typeof v.measure === 'string' && (MEASURES as readonly string[]).includes(v.measure),
      'measure',
      `one of ${MEASURES.join('、')}`,
    ),
    ...need(
      v.persons === undefined || (Array.isArray(v.persons) && personsOf(v.persons).length === v.persons.length),
      'persons',
      'a list of persons: names, or {name, unitCode?, personId?}',
    ),
  ],
  'extension-review': (v) =>
    need(typeof v.approved === 'boolean', 'approved', 'true to grant the extension, false to refuse it'),
};

export function isSupervisionForm(formKey: unknown): formKey is string {
  return typeof formKey === 'string' && Object.prototype.hasOwnProperty.call(FORMS, formKey);
}

export function checkForm(formKey: string, variables: Record<string, unknown>, today: string): FormProblem[] {
  const check = isSupervisionForm(formKey) ? FORMS[formKey] : null;
  return check ? check(variables, today) : [];
}
