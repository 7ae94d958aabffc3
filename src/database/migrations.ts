import { Engine1764300000000 } from '../../migrations/1764300000000-engine.js';
import { Calendar1764400000000 } from '../../migrations/1764400000000-calendar.js';
import { OrgProblems1764500000000 } from '../../migrations/1764500000000-org-problems.js';
import { AuthAudit1764600000000 } from '../../migrations/1764600000000-auth-audit.js';
import { FilesNotify1764700000000 } from '../../migrations/1764700000000-files-notify.js';
import { Supervision1764800000000 } from '../../migrations/1764800000000-supervision.js';
import { Reports1764900000000 } from '../../migrations/1764900000000-reports.js';
import { WebIndexes1765000000000 } from '../../migrations/1765000000000-web-indexes.js';
import { AuditAppend1765100000000 } from '../../migrations/1765100000000-audit-append.js';
import { ActivityTime1765200000000 } from '../../migrations/1765200000000-activity-time.js';
import { SignInThrottle1765310000000 } from '../../migrations/1765310000000-sign-in-throttle.js';
import { AuditKey1765320000000 } from '../../migrations/1765320000000-audit-key.js';
import { LadderDocuments1766100000000 } from '../../migrations/1766100000000-ladder-documents.js';
import { CalendarProvisional1766200000000 } from '../../migrations/1766200000000-calendar-provisional.js';
import { EngineResource1766300000000 } from '../../migrations/1766300000000-engine-resource.js';
import { EngineRestTypes1766400000000 } from '../../migrations/1766400000000-engine-rest-types.js';
import { ImportJobs1766600000000 } from '../../migrations/1766600000000-import-jobs.js';
import { ProcessStartFailure1766700000000 } from '../../migrations/1766700000000-process-start-failure.js';
import { Petitions1767200000000 } from '../../migrations/1767200000000-petitions.js';
import { Signoff1767300000000 } from '../../migrations/1767300000000-signoff.js';
import { UnitLevels1767400000000 } from '../../migrations/1767400000000-unit-levels.js';
import { UnitParts1767500000000 } from '../../migrations/1767500000000-unit-parts.js';
import { InboxViews1767600000000 } from '../../migrations/1767600000000-inbox-views.js';
import { EffectCheck1796278245110 } from '../../migrations/1796278245110-effect-check.js';
import { PetitionEvidence1796280562302 } from '../../migrations/1796280562302-petition-evidence.js';

/** Every migration, in order. A migration is written once and never edited after it lands. */
export const migrations = [
  Engine1764300000000,
  Calendar1764400000000,
  OrgProblems1764500000000,
  AuthAudit1764600000000,
  FilesNotify1764700000000,
  Supervision1764800000000,
  Reports1764900000000,
  WebIndexes1765000000000,
  AuditAppend1765100000000,
  ActivityTime1765200000000,
  SignInThrottle1765310000000,
  AuditKey1765320000000,
  LadderDocuments1766100000000,
  CalendarProvisional1766200000000,
  EngineResource1766300000000,
  EngineRestTypes1766400000000,
  ImportJobs1766600000000,
  ProcessStartFailure1766700000000,
  Petitions1767200000000,
  Signoff1767300000000,
  UnitLevels1767400000000,
  UnitParts1767500000000,
  InboxViews1767600000000,
  EffectCheck1796278245110,
  PetitionEvidence1796280562302,
];
