import { Global, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { migrations } from './migrations.js';

export const EMBEDDED_PG = Symbol('EMBEDDED_PG');

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
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            let url = config.DATABASE_URL;
            if (!url) {
              holder.server = await EmbeddedPostgres.start(config.DUBAN_DATA_DIR === ':memory:' ? null : config.DUBAN_DATA_DIR);
              url = holder.server.url;
              new Logger('database').log(`embedded PostgreSQL (PGlite) in ${config.DUBAN_DATA_DIR}`);
            }
            return {
              type: 'postgres' as const,
              url,
              migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              autoLoadEntities: true,
              // PGlite serves one session: its socket multiplexer interleaves the extended-protocol messages of
              // concurrent connections, so the embedded database gets exactly one connection.
              extra: { max: config.embedded ? 1 : 20, connectionTimeoutMillis: config.embedded ? 30_000 : 5000 },
              logging: ['error' as const],
            };
          },
        }),
      ],
      providers: [{ provide: EMBEDDED_PG, useValue: holder }],
      exports: [EMBEDDED_PG],
    };
  }
}

