import { Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DefinitionService } from '../engine/definition.service.js';
import { EngineService } from '../engine/engine.service.js';
import { invalidRequest, restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { ProcessDefinitionQuery, StartProcessInstanceDto, StatisticsQuery } from './dto/process-definition.dto.js';
import { FormVariablesQuery } from './dto/variables.dto.js';
import { defaultValue, processFacts, startFormFields } from './definition-facts.js';
import type { TypedValue } from './variables.js';
import { definitionDto, instanceDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';
import { readTyped } from './variables.js';

const SELECT = `SELECT d.id, d.key, d.version, d.name, d.resource, d.deployment_id, d.created_at FROM engine_definition d`;
interface DefRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  resource: string;
  deployment_id: string;
  created_at: Date;
}

/** Camunda's incident figures of a statistics row, as far as the query asked for them. */
function incidentFigures(rows: { incident_type: string; n: number }[], q: StatisticsQuery) {
  const failedJobs = q.failedJobs
    ? rows.filter((r) => r.incident_type === 'failedJob').reduce((a, r) => a + r.n, 0)
    : 0;
  const wanted = q.incidentsForType
    ? rows.filter((r) => r.incident_type === q.incidentsForType)
    : q.incidents || q.rootIncidents
      ? rows
      : [];
  return { failedJobs, incidents: wanted.map((r) => ({ incidentType: r.incident_type, incidentCount: r.n })) };
}

const COLUMNS: Record<string, string> = {
  id: 'd.id',
  key: 'd.key',
  name: 'd.name',
  version: 'd.version',
  deploymentId: 'd.deployment_id',
  deployTime: 'd.created_at',
  category: 'd.key',
  tenantId: 'd.id',
};

@ApiTags('engine-rest')
@Controller('engine-rest/process-definition')
@UseFilters(CamundaExceptionFilter)
export class ProcessDefinitionController {
  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
    private readonly engine: EngineService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@RestQuery() q: ProcessDefinitionQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(
      `${SELECT} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'd.key, d.version', 'd.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return Promise.all(rows.map((r: DefRow) => this.dto(r)));
  }

  /**
   * Per definition version: its running instances, and with `failedJobs`/`incidents`/`incidentsForType` its
   * incidents (failed steps are Camunda's failed jobs). `rootIncidents` counts the same: incidents have no causes here.
   */
  @Get('statistics')
  async statistics(@RestQuery() q: StatisticsQuery) {
    const defs: DefRow[] = await this.db.query(`${SELECT} ORDER BY d.key, d.version, d.id LIMIT 1000`);
    const counts: { definition_id: string; instances: number }[] = await this.db.query(
      `SELECT definition_id, count(*)::int AS instances FROM engine_instance WHERE status = 'active' GROUP BY definition_id`,
    );
    const incidents: { definition_id: string; incident_type: string; n: number }[] = await this.db.query(
      `SELECT i.definition_id, n.incident_type, count(*)::int AS n FROM engine_incident n JOIN engine_instance i ON i.id = n.instance_id
       WHERE n.resolved_at IS NULL AND i.status = 'active' GROUP BY i.definition_id, n.incident_type`,
    );
    const byDef = new Map(counts.map((c) => [c.definition_id, c.instances]));
    return Promise.all(
      defs.map(async (d) => ({
        '@class': 'org.camunda.bpm.engine.rest.dto.repository.ProcessDefinitionStatisticsResultDto',
        id: d.id,
        instances: byDef.get(d.id) ?? 0,
        ...incidentFigures(
          incidents.filter((n) => n.definition_id === d.id),
          q,
        ),
        definition: await this.dto(d),
      })),
    );
  }

  @Get('count')
  async count(@RestQuery() q: ProcessDefinitionQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_definition d ${f.where()}`, f.params);
    return { count: row.count };
  }

  @Get('key/:key')
  async byKey(@Param('key') key: string) {
    return this.dto(await this.latest(key));
  }

  @Get('key/:key/form-variables')
  async formVariablesByKey(@Param('key') key: string, @RestQuery() q: FormVariablesQuery) {
    return this.formVariables(await this.latest(key), q);
  }

  @Get('key/:key/xml')
  async xmlByKey(@Param('key') key: string) {
    const def = await this.latest(key);
    return { id: def.id, bpmn20Xml: await this.definitions.xml(def.id) };
  }

  /** Starts the latest version of the key; `variables` are Camunda typed values. */
  @Post('key/:key/start')
  @HttpCode(200)
  async startByKey(@Param('key') key: string, @RestBody() dto: StartProcessInstanceDto) {
    await this.latest(key);
    return this.start(key, dto);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return this.dto(await this.byId(id));
  }

  /** The start form's fields (`camunda:formData` on the plain start event) with their defaults; none without one. */
  @Get(':id/form-variables')
  async formVariablesById(@Param('id') id: string, @RestQuery() q: FormVariablesQuery) {
    return this.formVariables(await this.byId(id), q);
  }

  /** Per activity of this version: the instances running in it, and its incidents when asked for. */
  @Get(':id/statistics')
  async activityStatistics(@Param('id') id: string, @RestQuery() q: StatisticsQuery) {
    const def = await this.byId(id);
    const running: { activity_id: string; instances: number }[] = await this.db.query(
      `SELECT h.activity_id, count(*)::int AS instances FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id
       WHERE i.definition_id = $1 AND i.status = 'active' AND h.ended_at IS NULL AND h.activity_type <> 'bpmn:BoundaryEvent'
       GROUP BY h.activity_id ORDER BY h.activity_id`,
      [def.id],
    );
    const incidents: { activity_id: string; incident_type: string; n: number }[] = await this.db.query(
      `SELECT n.activity_id, n.incident_type, count(*)::int AS n FROM engine_incident n JOIN engine_instance i ON i.id = n.instance_id
       WHERE i.definition_id = $1 AND i.status = 'active' AND n.resolved_at IS NULL AND n.activity_id IS NOT NULL GROUP BY n.activity_id, n.incident_type`,
      [def.id],
    );
    const ids = [...new Set([...running.map((r) => r.activity_id), ...incidents.map((n) => n.activity_id)])].sort();
    return ids.map((activityId) => ({
      '@class': 'org.camunda.bpm.engine.rest.dto.repository.ActivityStatisticsResultDto',
      id: activityId,
      instances: running.find((r) => r.activity_id === activityId)?.instances ?? 0,
      ...incidentFigures(
        incidents.filter((n) => n.activity_id === activityId),
        q,
      ),
    }));
  }

  @Get(':id/xml')
  async xml(@Param('id') id: string) {
    const def = await this.byId(id);
    return { id: def.id, bpmn20Xml: await this.definitions.xml(def.id) };
  }

  /** Starts exactly the version named by its id, an older one included (as Camunda Modeler and Cockpit do). */
  @Post(':id/start')
  @HttpCode(200)
  async startById(@Param('id') id: string, @RestBody() dto: StartProcessInstanceDto) {
    const def = await this.byId(id);
    return this.start(def.key, dto, def.id);
  }

  private async start(key: string, dto: StartProcessInstanceDto, definitionId?: string) {
    if (dto.startInstructions?.length) throw invalidRequest('startInstructions are not supported');
    const { values, types } = readTyped(dto.variables);
    const inst = await this.engine.startProcess(key, {
      businessKey: dto.businessKey ?? null,
      variables: values,
      types,
      definitionId,
    });
    return instanceDto(inst, dto.withVariablesInReturn === true);
  }

  private async dto(d: DefRow) {
    return definitionDto(d, processFacts(await this.definitions.context(d.id), d.key));
  }

  private async formVariables(def: DefRow, q: FormVariablesQuery) {
    const fields = startFormFields(await this.definitions.context(def.id), def.key) ?? [];
    const out: Record<string, TypedValue> = {};
    for (const f of fields)
      if (!q.variableNames || q.variableNames.includes(f.id))
        out[f.id] = defaultValue(f, { variables: {}, now: () => this.clock.now() });
    return out;
  }

  private async latest(key: string) {
    const [row] = await this.db.query(`${SELECT} WHERE d.key = $1 ORDER BY d.version DESC LIMIT 1`, [key]);
    if (!row) throw restNotFound(`No matching process definition with key: ${key} and no tenant-id`);
    return row;
  }

  private async byId(id: string) {
    const [row] = await this.db.query(`${SELECT} WHERE d.id = $1`, [id]);
    if (!row) throw restNotFound(`No matching definition with id ${id}`);
    return row;
  }

  private filter(q: ProcessDefinitionQuery): SqlFilter {
    return new SqlFilter()
      .when(q.processDefinitionId, (p) => `d.id = ${p}`)
      .when(q.processDefinitionIdIn, (p) => `d.id = ANY(${p}::text[])`)
      .when(q.name, (p) => `d.name = ${p}`)
      .when(q.nameLike, (p) => `d.name LIKE ${p}`)
      .uuid(q.deploymentId, (p) => `d.deployment_id = ${p}::uuid`)
      .when(q.key, (p) => `d.key = ${p}`)
      .when(q.keysIn, (p) => `d.key = ANY(${p}::text[])`)
      .when(q.keyLike, (p) => `d.key LIKE ${p}`)
      .when(q.version, (p) => `d.version = ${p}`)
      .flag(q.latestVersion, `d.version = (SELECT max(x.version) FROM engine_definition x WHERE x.key = d.key)`)
      .when(q.resourceName, (p) => `d.resource = ${p}`)
      .when(q.resourceNameLike, (p) => `d.resource LIKE ${p}`)
      .flag(q.suspended === true || q.active === false, 'FALSE')
      .tenants(q, q.includeProcessDefinitionsWithoutTenantId);
  }
}
