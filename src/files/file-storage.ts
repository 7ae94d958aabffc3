import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { notFound } from '../common/domain-exception.js';

/**
 * Where the bytes of evidence files live, by the id the service generated (never a client's name).
 * The default is a directory; object storage plugs in by providing another implementation for this token.
 */
export abstract class FileStorage {
  abstract put(id: string, data: Buffer | Readable): Promise<void>;
  /** The bytes; a DomainException NOT_FOUND (404) when there are none. */
  abstract get(id: string): Promise<Readable>;
  /** Removes the bytes; no error when there are none. */
  abstract delete(id: string): Promise<void>;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/;

/** Files in a directory, two-level fan-out by id; written to a temporary name, then renamed into place. */
export class DirectoryFileStorage extends FileStorage implements OnApplicationShutdown {
  private readonly logger = new Logger('files');
  private ready: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly removeOnShutdown = false,
  ) {
    super();
  }

  /** A storage in a fresh temporary directory, removed at shutdown (for `DUBAN_DATA_DIR=:memory:`). */
  static async temporary(): Promise<DirectoryFileStorage> {
    return new DirectoryFileStorage(await mkdtemp(path.join(tmpdir(), 'duban-files-')), true);
  }

  get root(): string {
    return this.dir;
  }

  private pathOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`not a storage id: ${JSON.stringify(id)}`);
    return path.join(this.dir, id.slice(0, 2), id);
  }

  private ensureTmp(): Promise<void> {
    this.ready ??= mkdir(path.join(this.dir, '.tmp'), { recursive: true }).then(() => undefined);
    return this.ready;
  }

  async put(id: string, data: Buffer | Readable): Promise<void> {
    const final = this.pathOf(id);
    await this.ensureTmp();
    const temp = path.join(this.dir, '.tmp', `${id}.${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(
        Buffer.isBuffer(data) ? bufferStream(data) : data,
        createWriteStream(temp, { flags: 'wx', mode: 0o640 }),
      );
      await mkdir(path.dirname(final), { recursive: true });
      await rename(temp, final);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
  }

  async get(id: string): Promise<Readable> {
    const file = this.pathOf(id);
    const found = await stat(file).catch(() => null);
    if (!found?.isFile()) throw notFound('file content', id);
    return createReadStream(file);
  }

  async delete(id: string): Promise<void> {
    await unlink(this.pathOf(id)).catch((e) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.removeOnShutdown) return;
    await rm(this.dir, { recursive: true, force: true }).catch((e) =>
      this.logger.warn(`removing ${this.dir}: ${e.message}`),
    );
  }
}

async function* bufferStream(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}
