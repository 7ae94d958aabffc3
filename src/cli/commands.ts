import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AuditService } from '../audit/audit.service.js';
import { AccountService } from '../auth/account.service.js';
import { CreateAccountDto } from '../auth/dto/create-account.dto.js';
import { DomainException } from '../common/domain-exception.js';
import { QuietLogger } from '../common/quiet-logger.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { SIMULATE_USAGE, runSimulate } from '../demo/simulate.command.js';
import { UsageError, parseOptions } from './args.js';
import { CliModule } from './cli.module.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const USAGE = `usage: npm run cli -- <command> [options]

commands:
  user:create --username U --password P --role admin|office|leader|inspector|unit [--unit CODE] [--person ID]
      create an account (a unit account names its unit)
  user:disable --username U
      disable an account: it can no longer sign in, and its tokens and HTTP Basic sessions stop working at once
  user:enable --username U
      enable a disabled account again (it signs in anew)
  audit:verify
      recompute the audit trail's chain with DUBAN_AUDIT_KEY: the key's fingerprint, then OK with the count and
      the head, or the first entry altered or removed, or a key that is not the trail's (exit 1)
  ${SIMULATE_USAGE}

The database is the service's: DATABASE_URL, or the embedded one in DUBAN_DATA_DIR (stop the service
first: the embedded database serves one process).`;

type Context = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

/** Runs one command; answers the exit code (0 done, 1 failed check or error, 2 bad arguments). */
export async function runCli(
  argv: string[],
  io: CliIo,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  // Its own throw-away database and virtual clock, not the service's.
  if (command === 'simulate') return runSimulate(rest, io);
  let run: (ctx: Context) => Promise<number>;
  try {
    if (command === 'user:create')
      run = userCreate(parseOptions(rest, ['username', 'password', 'role', 'unit', 'person']), io);
    else if (command === 'user:disable' || command === 'user:enable') {
      run = userDisable(parseOptions(rest, ['username']), command === 'user:disable', io);
    } else if (command === 'audit:verify') {
      parseOptions(rest, []);
      run = (ctx) => auditVerify(ctx, io);
    } else if (!command || command === 'help' || command === '--help') {
      io.out(USAGE);
      return command ? 0 : 2;
    } else throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
  const logger = new QuietLogger({ logLevels: ['error'] });
  const ctx = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger, abortOnError: false });
  try {
    return await run(ctx);
  } catch (e) {
    if (e instanceof DomainException && e.status < 500) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    io.err(`error: ${(e as Error).message}`);
    return 1;
  } finally {
    await ctx.close();
  }
}

function userCreate(o: Record<string, string>, io: CliIo): (ctx: Context) => Promise<number> {
  const dto = plainToInstance(CreateAccountDto, {
    username: o.username,
    password: o.password,
    role: o.role,
    unitCode: o.unit,
    personId: o.person,
  });
  const errors = validateSync(dto, { forbidUnknownValues: false });
  const missing = ['username', 'password', 'role'].filter((k) => o[k] === undefined).map((k) => `--${k} is required`);
  const bad = errors
    .flatMap((e) => Object.values(e.constraints ?? {}))
    .map((m) => m.replace(/^unitCode/, '--unit').replace(/^personId/, '--person'));
  if (missing.length) throw new UsageError(missing.join('; '));
  if (bad.length) throw new UsageError(bad.join('; '));
  return async (ctx) => {
    const account = await ctx.get(AccountService).create(dto, { actor: 'system', actorName: 'cli' });
    io.out(
      `created account ${account.username} (${account.role}${account.unitCode ? `, unit ${account.unitCode}` : ''}) id ${account.id}`,
    );
    return 0;
  };
}

function userDisable(o: Record<string, string>, disabled: boolean, io: CliIo): (ctx: Context) => Promise<number> {
  if (o.username === undefined) throw new UsageError('--username is required');
  return async (ctx) => {
    const accounts = ctx.get(AccountService);
    const id = await accounts.idOf(o.username);
    const account = await accounts.update(id, { disabled }, { actor: 'system', actorName: 'cli' });
    io.out(`${disabled ? 'disabled' : 'enabled'} account ${account.username} (${account.role}) id ${account.id}`);
    return 0;
  };
}

async function auditVerify(ctx: Context, io: CliIo): Promise<number> {
  const audit = ctx.get(AuditService);
  await audit.ensureKeyed();
  const res = await audit.verify();
  const k = res.key;
  const before = k.fromSeq !== null && k.fromSeq > 1 ? ', SHA-256 before' : '';
  const keyed = k.fromSeq === null ? 'no entry chained with it yet' : `HMAC-SHA256 from seq ${k.fromSeq}${before}`;
  io.out(`key: fingerprint ${k.fingerprint} (${keyed})`);
  if (res.ok) {
    io.out(`OK: ${res.count} audit entries, chain intact; head ${res.head}`);
    return 0;
  }
  io.err(`FAILED after ${res.count} intact entries: ${res.broken.message}`);
  io.err(`first broken entry: seq ${res.broken.seq}, id ${res.broken.id} (${res.broken.kind})`);
  return 1;
}
