import 'reflect-metadata';
import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { parseAllowedHosts } from '../common/net-address.js';
import { fixedMillis, parseDuration } from '../common/iso8601.js';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1'
      ? true
      : value === false || value === 'false' || value === '0'
        ? false
        : value;
/** `false`, a hop count, or a list of IPv4/IPv6 addresses or subnets and proxy-addr's names. */
const PROXY_ITEM = String.raw`(?:loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]{2,45}(?:\/\d{1,3})?)`;
const TRUST_PROXY = new RegExp(String.raw`^(?:false|\d|${PROXY_ITEM}(?:\s*,\s*${PROXY_ITEM})*)$`);
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

/** Every setting the service reads, validated once at boot; a bad value stops start-up naming it. */
export class AppConfig {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsString()
  DUBAN_DATA_DIR: string = './data';

  /**
   * A dump of a fresh, empty embedded cluster (PGlite's `dumpDataDir`): an in-memory database (`DUBAN_DATA_DIR`
   * `:memory:`) starts from it instead of creating its cluster anew, in under a second rather than several (the
   * test suite's throw-away databases). Ignored for a data directory on disk and a server database.
   */
  @IsOptional()
  @IsString()
  DUBAN_EMBEDDED_TEMPLATE?: string;

  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'DUBAN_QUEUE_PREFIX must be 1-40 letters, digits, _ or -' })
  DUBAN_QUEUE_PREFIX: string = 'duban';

  @Transform(toBool)
  @IsBoolean()
  DUBAN_CLOCK_CONTROLLED: boolean = false;

  @IsString()
  DUBAN_PROCESSES_DIR: string = './processes';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  DUBAN_MAX_BPMN_BYTES: number = 2 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  DUBAN_RECONCILE_MS: number = 60_000;

  /** PostgreSQL ends a session idle inside a transaction this long, freeing its locks (a node frozen or cut off mid-step). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  DUBAN_DB_IDLE_TX_TIMEOUT_MS: number = 60_000;

  /** How long a statement waits for a row another call holds (an instance being stepped) before the call answers 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DUBAN_DB_LOCK_TIMEOUT_MS: number = 30_000;

  /** Load the seed's plan as demo content when the database is empty (embedded default only, unless forced). */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  DUBAN_DEMO?: boolean;

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug'])
  DUBAN_LOG_LEVEL: string = 'log';

  /** Node processes serving the one port (node cluster); unset: the core count on a server database, 1 embedded. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  DUBAN_WORKERS?: number;

  /** Engine threads per node process (worker_threads running the engine part of steps); 0, the default: on the main thread. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  DUBAN_ENGINE_THREADS?: number;

  /** HS256 key of the access tokens; required with NODE_ENV=production (see README, "Accounts"). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'DUBAN_JWT_SECRET must be at least 32 characters' })
  DUBAN_JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  DUBAN_TOKEN_TTL_S: number = 900;

  /** Failed sign-ins from one address, whatever the names, in 15 minutes before that address is locked for 15. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(100_000)
  DUBAN_LOGIN_ADDRESS_FAILURES: number = 30;

  /**
   * Behind a reverse proxy: `false` (the socket's peer is the client), a hop count (1 = one proxy in front), or
   * the proxies' addresses and subnets (`loopback`, `10.0.0.0/8`, …) whose X-Forwarded-For is believed.
   */
  @Matches(TRUST_PROXY, {
    message:
      'DUBAN_TRUST_PROXY must be false, a hop count 1-9, or a comma-separated list of addresses, subnets, ' +
      'loopback, linklocal or uniquelocal',
  })
  DUBAN_TRUST_PROXY: string = 'false';

  /** Evidence files; unset: `<DUBAN_DATA_DIR>/files` (a temporary directory when the data dir is `:memory:`). */
  @IsOptional()
  @IsString()
  DUBAN_FILES_DIR?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  DUBAN_MAX_UPLOAD_BYTES: number = 20 * 1024 * 1024;

  /** Uploads (evidence files and problem-list imports together) one account may make per minute; more are 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  DUBAN_UPLOAD_RATE_PER_MIN: number = 60;

  /** Outgoing mail, e.g. smtp://user:pass@mail.example.gov.cn:587 or smtps://…:465; unset: e-mail channels fail visibly. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'DUBAN_SMTP_URL must be an smtp:// or smtps:// URL' })
  DUBAN_SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  DUBAN_SMTP_FROM: string = '督办系统 <duban@localhost>';

  /** Prefix for links in notifications (e.g. https://duban.example.gov.cn); unset: links stay relative. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'DUBAN_PUBLIC_URL must be an http(s) URL' })
  DUBAN_PUBLIC_URL?: string;

  /** How often the notification outbox is polled for due messages. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DUBAN_NOTIFY_POLL_MS: number = 5000;

  /** HMAC key of the audit chain; required with DATABASE_URL and in production (see README, "Audit trail"). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'DUBAN_AUDIT_KEY must be at least 32 characters' })
  DUBAN_AUDIT_KEY?: string;

  /** The hosts robot webhooks may name, comma-separated `host` or `host:port` (see README, "Security limits"). */
  @IsString()
  DUBAN_WEBHOOK_HOSTS: string = 'qyapi.weixin.qq.com,oapi.dingtalk.com';
  /** The shortest period a timer may have, an ISO 8601 duration from PT1S to P1D (shorter ones are refused). */
  @IsString()
  DUBAN_MIN_TIMER_PERIOD: string = 'PT1M';

  /** The most occurrences of a timer cycle; `R/…` without a count repeats this often. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  DUBAN_MAX_TIMER_REPEAT: number = 1000;

  /** The most elements a BPMN file may hold, its diagram aside (refused before the expensive parse). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  DUBAN_MAX_BPMN_ELEMENTS: number = 2000;

  /** The timer limits in the engine's terms. */
  get timerLimits(): { minPeriodMs: number; maxRepeat: number } {
    return { minPeriodMs: minTimerPeriodMs(this.DUBAN_MIN_TIMER_PERIOD), maxRepeat: this.DUBAN_MAX_TIMER_REPEAT };
  }

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }

  /**
   * How many processes serve the port. The embedded database lives in one process, and a controlled clock is
   * pinned in the process that was told, so both run one.
   */
  workers(cores: number): number {
    if (this.DUBAN_WORKERS) return this.DUBAN_WORKERS;
    return this.embedded || this.DUBAN_CLOCK_CONTROLLED ? 1 : Math.max(1, cores);
  }

  /**
   * Engine threads of this process: none unless set (measured on two cores, a thread's hop costs more than it
   * frees while the processes of DUBAN_WORKERS already use the cores; see README, "Benchmark").
   */
  get engineThreads(): number {
    return this.DUBAN_ENGINE_THREADS ?? 0;
  }

  /** DUBAN_TRUST_PROXY as Express's `trust proxy` takes it. */
  get trustProxy(): false | number | string[] {
    const v = this.DUBAN_TRUST_PROXY.trim();
    if (v === 'false' || v === '0') return false;
    if (/^\d$/.test(v)) return Number(v);
    return v.split(',').map((p) => p.trim());
  }
}

export class ConfigError extends Error {}

/** DUBAN_MIN_TIMER_PERIOD in ms; throws unless it is a fixed-length ISO 8601 duration from PT1S to P1D. */
function minTimerPeriodMs(value: string): number {
  const d = parseDuration(value);
  const ms = fixedMillis(d);
  if (d.years || d.months || ms < 1000 || ms > 86_400_000) throw new Error('out of range');
  return ms;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat([
    'DATABASE_URL',
    'REDIS_URL',
    'DUBAN_DEMO',
    'DUBAN_WORKERS',
    'DUBAN_ENGINE_THREADS',
    'DUBAN_JWT_SECRET',
    'DUBAN_FILES_DIR',
    'DUBAN_SMTP_URL',
    'DUBAN_PUBLIC_URL',
    'DUBAN_AUDIT_KEY',
  ]);
  const plain: Record<string, unknown> = {};
  for (const k of known) if (env[k] !== undefined && env[k] !== '') plain[k] = env[k];
  const config = plainToInstance(AppConfig, plain);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.map(
    (e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  if (config.DATABASE_URL && !config.REDIS_URL)
    problems.push('REDIS_URL must be set together with DATABASE_URL (timers are delivered by BullMQ)');
  if (config.REDIS_URL && !config.DATABASE_URL) problems.push('DATABASE_URL must be set together with REDIS_URL');
  if ((config.DUBAN_WORKERS ?? 1) > 1 && config.embedded)
    problems.push('DUBAN_WORKERS above 1 needs DATABASE_URL (the embedded database lives in one process)');
  if ((config.DUBAN_WORKERS ?? 1) > 1 && config.DUBAN_CLOCK_CONTROLLED)
    problems.push(
      'DUBAN_WORKERS above 1 is refused with DUBAN_CLOCK_CONTROLLED=true (the clock is pinned in one process)',
    );
  if (config.DUBAN_CLOCK_CONTROLLED && config.NODE_ENV === 'production') {
    problems.push('DUBAN_CLOCK_CONTROLLED=true is refused when NODE_ENV=production');
  }
  try {
    minTimerPeriodMs(config.DUBAN_MIN_TIMER_PERIOD);
  } catch {
    const value = JSON.stringify(config.DUBAN_MIN_TIMER_PERIOD);
    problems.push(`DUBAN_MIN_TIMER_PERIOD=${value}: an ISO 8601 duration from PT1S to P1D, such as PT1M`);
  }
  if (!config.DUBAN_JWT_SECRET && config.NODE_ENV === 'production')
    problems.push('DUBAN_JWT_SECRET must be set when NODE_ENV=production (at least 32 random characters)');
  // Every node must sign and accept the same tokens: a key of its own per node would refuse the others'.
  else if (!config.DUBAN_JWT_SECRET && config.DATABASE_URL) {
    const why = '(32 random characters or more, the same on every node)';
    problems.push(`DUBAN_JWT_SECRET must be set with DATABASE_URL ${why}`);
  }
  const proxies = config.trustProxy;
  for (const item of Array.isArray(proxies) ? proxies : []) {
    const [ip, bits] = item.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(item);
    if (!named && (!isIP(ip) || (bits !== undefined && Number(bits) > (isIP(ip) === 4 ? 32 : 128)))) {
      const what = 'is not an address, a subnet, loopback, linklocal or uniquelocal';
      problems.push(`DUBAN_TRUST_PROXY: ${JSON.stringify(item)} ${what}`);
    }
  }
  if (!config.DUBAN_AUDIT_KEY && (config.DATABASE_URL || config.NODE_ENV === 'production')) {
    const why = '32 random characters or more, the same on every node';
    problems.push(`DUBAN_AUDIT_KEY must be set with DATABASE_URL or NODE_ENV=production (${why})`);
  }
  const webhookHosts = parseAllowedHosts(config.DUBAN_WEBHOOK_HOSTS).problems;
  if (webhookHosts.length) problems.push(`DUBAN_WEBHOOK_HOSTS: ${webhookHosts.join('; ')}`);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}
