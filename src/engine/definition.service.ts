import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../clock/clock.js';
import { cleanText } from '../common/control-chars.js';
import { DomainException, notFound } from '../common/domain-exception.js';
import { BpmnParseWorker, type ParsedDefinition } from './deploy/bpmn-parse-worker.js';
import { DeployError, type DeployProblem } from './deploy/deploy-error.js';
import { buildMeta, sha256, type DefinitionMeta } from './deploy/definition-meta.js';
import { checkForm, resourceKind, type ResourceKind } from './deploy/deploy-resources.js';

export type { DefinitionMeta } from './deploy/definition-meta.js';
import { HandlerRegistry } from './handler-registry.js';
import { deserializeContext } from './runtime/bpmn-runtime.js';

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  resource: string;
  deployment_id: string;
  hash: string;
  process_keys: string[];
  meta: DefinitionMeta;
  created_at: Date;
}

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface DeployedResource {
  resource: string;
  definition: DefinitionRow;
  created: boolean;
}

/** Definitions: hardened deploy, versions by content, and the parsed context cached per version. */
@Injectable()
export class DefinitionService implements OnModuleDestroy {
  private readonly logger = new Logger('deploy');
  private readonly cache = new Map<string, unknown>();
  private readonly rows = new Map<string, DefinitionRow>();
  /** Serialized contexts, for the engine threads (sent to each once). */
  private readonly sources = new Map<string, unknown>();
  private readonly forgetting: ((ids: readonly string[]) => void)[] = [];
  /** Parsing runs off the main thread, so a large file never stalls other requests. */
  private readonly parser = new BpmnParseWorker();

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly handlers: HandlerRegistry,
    private readonly clock: Clock,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.parser.close();
  }

  /**
   * Deploy several files as one deployment. Nothing is stored unless every file is valid. BPMN files make
   * definitions; Camunda forms and DMN files are kept as resources of the deployment. An unchanged set makes no
   * new deployment (`existingDeploymentId` then names the one that holds it).
   */
  async deploy(
    name: string,
    files: { resource: string; content: Buffer | string }[],
    source = 'api',
  ): Promise<{ deploymentId: string | null; existingDeploymentId: string | null; resources: DeployedResource[] }> {
    if (!files.length) throw new DomainException('BAD_REQUEST', 400, 'no BPMN file in the deployment');
    // Names are caller text kept and logged: no control character may reach the rows or the log.
    name = cleanText(name).trim() || 'deployment';
    source = cleanText(source).trim() || 'api';
    files = files.map((f) => ({ ...f, resource: cleanText(f.resource).trim().slice(0, 255) || 'process.bpmn' }));
    const prepared: { file: { resource: string; content: Buffer | string }; v: ParsedDefinition }[] = [];
    const kept: { file: { resource: string; content: Buffer | string }; kind: ResourceKind }[] = [];
    const problems: DeployError[] = [];
    for (const f of files) {
      const kind = resourceKind(f.resource);
      try {
        if (kind === 'bpmn') prepared.push({ file: f, v: await this.check(f.resource, f.content) });
        else {
          await this.checkResource(f.resource, f.content, kind);
          kept.push({ file: f, kind });
        }
      } catch (err) {
        if (err instanceof DeployError) problems.push(err);
        else problems.push(new DeployError(f.resource, [{ reason: `could not be read: ${(err as Error).message}` }]));
      }
    }
    if (problems.length) {
      throw new DomainException('DEPLOY_REFUSED', 400, problems.map((p) => p.message).join('\n'), {
        problems: problems.flatMap((p) => p.problems.map((x) => ({ resource: p.resource, ...x }))),
      });
    }
    const deploymentId = randomUUID();
    const now = this.clock.date();
    const resources: DeployedResource[] = [];
    let existingDeploymentId: string | null = null;
    let inserted = false;
    await this.db.transaction(async (m) => {
      const insertDeployment = async () => {
        if (inserted) return;
        await m.query(`INSERT INTO engine_deployment (id, name, source, deployed_at) VALUES ($1, $2, $3, $4)`, [
          deploymentId,
          name,
          source,
          now,
        ]);
        inserted = true;
      };
      const changedFiles = new Map<string, { content: Buffer | string; kind: ResourceKind; hash: string }>();
      // Each executable process of a file is a definition of its own, startable by its key (a collaboration).
      const byProcess = prepared.flatMap(({ file, v }) => v.executableProcessIds.map((key) => ({ file, v, key })));
      for (const { file, v, key } of byProcess) {
        const xml = Buffer.isBuffer(file.content) ? file.content.toString('utf8') : file.content;
        const hash = sha256(xml);
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`definition:${key}`]);
        const [latest] = await m.query(`SELECT * FROM engine_definition WHERE key = $1 ORDER BY version DESC LIMIT 1`, [
          key,
        ]);
        if (latest && latest.hash === hash) {
          resources.push({ resource: file.resource, definition: latest, created: false });
          existingDeploymentId ??= latest.deployment_id;
          continue;
        }
        await insertDeployment();
        changedFiles.set(file.resource, { content: xml, kind: 'bpmn', hash });
        const version = (latest?.version ?? 0) + 1;
        const id = `${key}:${version}:${deploymentId.slice(0, 8)}`;
        const context = v.context;
        const meta = buildMeta(JSON.parse(context), v.executableProcessIds, key);
        const found = v.processes.find((p: { id: string; name?: string }) => p.id === key)?.name;
        const procName = found ? cleanText(found) : null;
        const [row] = await m.query(
          `INSERT INTO engine_definition (id, key, version, name, resource, deployment_id, hash, xml, context, process_keys, meta, created_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
           RETURNING id, key, version, name, resource, deployment_id, hash, process_keys, meta, created_at`,
          [
            id,
            key,
            version,
            procName,
            file.resource,
            deploymentId,
            hash,
            xml,
            context,
            v.processes.map((p) => p.id),
            meta,
            now,
          ],
        );
        resources.push({ resource: file.resource, definition: row, created: true });
      }
      for (const { file, kind } of kept) {
        const hash = sha256(file.content);
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`resource:${file.resource}`]);
        const [latest] = await m.query(
          `SELECT deployment_id, hash FROM engine_resource WHERE name = $1 ORDER BY created_at DESC, id LIMIT 1`,
          [file.resource],
        );
        if (latest?.hash === hash) {
          existingDeploymentId ??= latest.deployment_id;
          continue;
        }
        changedFiles.set(file.resource, { content: file.content, kind, hash });
      }
      if (!changedFiles.size) return;
      await insertDeployment();
      for (const [resource, f] of changedFiles) {
        await m.query(
          `INSERT INTO engine_resource (id, deployment_id, name, kind, hash, content, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [
            randomUUID(),
            deploymentId,
            resource,
            f.kind,
            f.hash,
            Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8'),
            now,
          ],
        );
      }
    });
    const created = resources.filter((r) => r.created);
    for (const r of created) this.logger.log(`deployed ${r.definition.id} from ${r.resource} (deployment ${name})`);
    if (inserted && !created.length)
      this.logger.log(`deployed ${kept.map((k) => k.file.resource).join(', ')} (deployment ${name})`);
    return {
      deploymentId: inserted ? deploymentId : null,
      existingDeploymentId: inserted ? null : existingDeploymentId,
      resources,
    };
  }

  /** A form or DMN file: checked (a DMN's XML on the worker, as BPMN is), then kept as it is. */
  private async checkResource(
    resource: string,
    content: Buffer | string,
    kind: Exclude<ResourceKind, 'bpmn'>,
  ): Promise<void> {
    const { DUBAN_MAX_BPMN_BYTES: maxBytes, DUBAN_MAX_BPMN_ELEMENTS: maxElements, timerLimits } = this.config;
    const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
    if (size > maxBytes)
      throw new DeployError(resource, [{ reason: `file is ${size} bytes, over the limit of ${maxBytes} bytes` }]);
    if (kind === 'form') {
      const { problems } = checkForm(content);
      if (problems.length) throw new DeployError(resource, problems);
      return;
    }
    const { problems } = await this.parser.parse(resource, content, {
      maxBytes,
      maxElements,
      timerLimits,
      handlers: [],
      kind: 'dmn',
    });
    if (problems.length) throw new DeployError(resource, problems);
  }

  /** The file checked (size, XML safety, element count, rules) and serialized on the worker; literals here. */
  private async check(resource: string, content: Buffer | string): Promise<ParsedDefinition> {
    const { DUBAN_MAX_BPMN_BYTES: maxBytes, DUBAN_MAX_BPMN_ELEMENTS: maxElements, timerLimits } = this.config;
    const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
    // Refused before the copy to the worker; the worker checks the same limit again.
    if (size > maxBytes) {
      throw new DeployError(resource, [{ reason: `file is ${size} bytes, over the limit of ${maxBytes} bytes` }]);
    }
    const opts = { maxBytes, maxElements, timerLimits, handlers: [...this.handlers.names()] };
    const { parsed, problems, pendingLiterals } = await this.parser.parse(resource, content, opts);
    // The calendar's literals (workdays(…)) are known on this thread only.
    const refused: DeployProblem[] = [...problems];
    for (const p of pendingLiterals) {
      let literal: string | null;
      try {
        literal = this.handlers.timerLiteral?.(countProbe(p.value), this.clock.now())
          ? null
          : 'not a working-day literal';
      } catch (err) {
        literal = (err as Error).message;
      }
      if (literal !== null) refused.push({ element: p.element, reason: `${p.reason}; ${literal}` });
    }
    if (refused.length || !parsed) throw new DeployError(resource, refused);
    return parsed;
  }

  /** Deploy every .bpmn file of the processes folder at boot; unchanged files are no-ops. */
  async deployFolder(dir = this.config.DUBAN_PROCESSES_DIR): Promise<DeployedResource[]> {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.bpmn')).sort();
    } catch {
      return [];
    }
    if (!names.length) return [];
    const files = await Promise.all(
      names.map(async (n) => ({ resource: n, content: await readFile(path.join(dir, n)) })),
    );
    const { resources } = await this.deploy('processes', files, 'boot');
    return resources;
  }

  /** `q` lets a step read through its own transaction (the embedded database serves one transaction at a time). */
  async get(id: string, q: Queryable = this.db): Promise<DefinitionRow> {
    const cached = this.rows.get(id);
    if (cached) return cached;
    const [row] = await q.query(
      `SELECT id, key, version, name, resource, deployment_id, hash, process_keys, meta, created_at FROM engine_definition WHERE id = $1`,
      [id],
    );
    if (!row) throw notFound('process definition', id);
    this.rows.set(id, row);
    return row;
  }

  async latest(key: string, q: Queryable = this.db): Promise<DefinitionRow> {
    const [row] = await q.query(
      `SELECT id, key, version, name, resource, deployment_id, hash, process_keys, meta, created_at FROM engine_definition
       WHERE $1 = ANY(process_keys) ORDER BY (key = $1) DESC, version DESC, created_at DESC LIMIT 1`,
      [key],
    );
    if (!row) throw notFound('process definition with key', key);
    return row;
  }

  async list(filter: { key?: string; latestOnly?: boolean } = {}): Promise<DefinitionRow[]> {
    return this.db.query(
      `SELECT d.id, d.key, d.version, d.name, d.resource, d.deployment_id, d.hash, d.process_keys, d.meta, d.created_at FROM engine_definition d
       WHERE ($1::text IS NULL OR d.key = $1)
         AND (NOT $2 OR d.version = (SELECT max(version) FROM engine_definition x WHERE x.key = d.key))
       ORDER BY d.key, d.version`,
      [filter.key ?? null, filter.latestOnly ?? false],
    );
  }

  /** Drops the cached rows and contexts of deleted definitions. */
  forget(ids: readonly string[]): void {
    for (const id of ids) {
      this.rows.delete(id);
      this.cache.delete(id);
      this.sources.delete(id);
    }
    for (const hook of this.forgetting) hook(ids);
  }

  /** Heard when definitions are deleted (the engine threads drop their contexts). */
  onForget(hook: (ids: readonly string[]) => void): void {
    this.forgetting.push(hook);
  }

  async xml(id: string): Promise<string> {
    const [row] = await this.db.query(`SELECT xml FROM engine_definition WHERE id = $1`, [id]);
    if (!row) throw notFound('process definition', id);
    return row.xml;
  }

  /** The deserialized context of a version: parsed once, shared by every step of every instance. */
  async context(id: string, q: Queryable = this.db): Promise<unknown> {
    let ctx = this.cache.get(id);
    if (!ctx) {
      // The stored form is kept only once an engine thread asked for it (contextSource); read here, it is not.
      const source = this.sources.get(id) ?? (await this.readContext(id, q));
      ctx = deserializeContext(JSON.stringify(source));
      this.cache.set(id, ctx);
    }
    return ctx;
  }

  /**
   * The serialized context of a version, as stored, for the engine threads: read once and kept, so no later
   * step reads it again.
   */
  async contextSource(id: string, q: Queryable = this.db): Promise<unknown> {
    let source = this.sources.get(id);
    if (source === undefined) {
      source = await this.readContext(id, q);
      this.sources.set(id, source);
    }
    return source;
  }

  private async readContext(id: string, q: Queryable): Promise<unknown> {
    const [row] = (await q.query(`SELECT context FROM engine_definition WHERE id = $1`, [id])) as {
      context: unknown;
    }[];
    if (!row) throw notFound('process definition', id);
    return row.context;
  }
}

/**
 * A literal whose count is a variable lookup (`workdays(${environment.variables.bulletinAfter}, …)`, the count
 * read from the settings) is checked at deploy with a count of 0: the engine substitutes the lookup at run time.
 */
export function countProbe(value: string): string {
  return value.replace(/^(\s*[A-Za-z]+\s*\(\s*[-+]?)\$\{\s*environment\.variables\.[A-Za-z_][\w.]*\s*\}/, '$10');
}
