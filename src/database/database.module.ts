import { Global, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { AUDIT_KEY_SETTING, AuditKey, resolveAuditKey } from './audit-key.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { migrateUnderLock } from './migrate.js';
import { migrations } from './migrations.js';

export const EMBEDDED_PG = Symbol('EMBEDDED_PG');

/** One key per process, resolved on first use: the sessions carry it and the audit service verifies with it. */
class AuditKeyHolder {
  private key: AuditKey | null = null;
  get(config: AppConfig): AuditKey {
    this.key ??= resolveAuditKey(config);
    return this.key;
  }
}

class EmbeddedHolder implements OnApplicationShutdown {
  server: EmbeddedPostgres | null = null;
  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop().catch(() => undefined);
  }
}

/** PostgreSQL through TypeORM and `pg`: the configured server, or the embedded one when none is set. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    const holder = new EmbeddedHolder();
    const keys = new AuditKeyHolder();
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            let url = config.DATABASE_URL;
            const auditKey = keys.get(config).sessionValue;
            if (!url) {
              const dir = config.DUBAN_DATA_DIR === ':memory:' ? null : config.DUBAN_DATA_DIR;
              holder.server = await EmbeddedPostgres.start(
                dir,
                { [AUDIT_KEY_SETTING]: auditKey },
                config.DUBAN_EMBEDDED_TEMPLATE,
              );
              url = holder.server.url;
              new Logger('database').log(`embedded PostgreSQL (PGlite) in ${config.DUBAN_DATA_DIR}`);
            }
            return {
              type: 'postgres' as const,
              url,
              migrations,
              // Run after connecting, under a lock (migrate.ts): never two nodes at once.
              migrationsRun: false,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              autoLoadEntities: true,
              // PGlite serves one session: its socket multiplexer interleaves the extended-protocol messages of
              // concurrent connections, so the embedded database gets exactly one connection.
              extra: config.embedded
                ? { max: 1, connectionTimeoutMillis: 30_000 }
                : {
                    max: 20,
                    connectionTimeoutMillis: 5000,
                    keepAlive: true,
                    application_name: 'duban',
                    // A node that stops in the middle of a transaction (frozen, cut off) must not hold an instance's
                    // lock for ever, and a call waiting for such a lock answers 503 rather than hang.
                    idle_in_transaction_session_timeout: config.DUBAN_DB_IDLE_TX_TIMEOUT_MS,
                    lock_timeout: config.DUBAN_DB_LOCK_TIMEOUT_MS,
                    // The audit chain's key, for the chaining trigger: a setting of each session, never stored.
                    options: `-c ${AUDIT_KEY_SETTING}=${auditKey}`,
                  },
              logging: ['error' as const],
            };
          },
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            try {
              await migrateUnderLock(ds);
            } catch (e) {
              await ds.destroy().catch(() => undefined);
              throw e;
            }
            return ds;
          },
        }),
      ],
      providers: [
        { provide: EMBEDDED_PG, useValue: holder },
        { provide: AuditKey, inject: [AppConfig], useFactory: (c: AppConfig) => keys.get(c) },
      ],
      exports: [EMBEDDED_PG, AuditKey],
    };
  }
}
