import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL itself (PGlite, WASM) behind a local socket, reached through the ordinary `pg` driver, so the
 * embedded default runs exactly the code path of a real server. `dataDir` null keeps it in memory.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string | null): Promise<EmbeddedPostgres> {
    let db: PGlite;
    if (dataDir) {
      const dir = path.resolve(dataDir, 'pg');
      mkdirSync(dir, { recursive: true });
      db = await PGlite.create(dir);
    } else {
      db = await PGlite.create();
    }
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
    await server.start();
    const port = (server as unknown as { port: number }).port;
    return new EmbeddedPostgres(db, server, `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
