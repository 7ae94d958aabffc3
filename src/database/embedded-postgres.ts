import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// pgcrypto: the audit chain's HMAC (migration 1765320000000).
const OPTIONS = { extensions: { pgcrypto } };

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

  /**
   * `settings`: session settings of the one PGlite session, which every connection through the socket shares
   * (PGlite does not read a connection's startup options, and a server-side store would keep them on disk).
   */
  static async start(
    dataDir: string | null,
    settings: Record<string, string> = {},
    template?: string,
  ): Promise<EmbeddedPostgres> {
    let db: PGlite;
    if (dataDir) {
      const dir = path.resolve(dataDir, 'pg');
      mkdirSync(dir, { recursive: true });
      db = await PGlite.create(dir, OPTIONS);
    } else if (template) {
      let dump: Buffer;
      try {
        dump = readFileSync(template);
      } catch (e) {
        throw new Error(`DUBAN_EMBEDDED_TEMPLATE ${template} cannot be read: ${(e as Error).message}`);
      }
      db = await PGlite.create({ ...OPTIONS, loadDataDir: new Blob([new Uint8Array(dump)]) });
    } else {
      db = await PGlite.create(OPTIONS);
    }
    for (const [name, value] of Object.entries(settings)) {
      await db.query(`SELECT set_config($1, $2, false)`, [name, value]);
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
