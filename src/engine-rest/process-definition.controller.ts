import { Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DefinitionService } from '../engine/definition.service.js';
import { EngineService } from '../engine/engine.service.js';
import { invalidRequest, restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { ProcessDefinitionQuery, StartProcessInstanceDto } from './dto/process-definition.dto.js';
import { definitionDto, instanceDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';
import { readTyped } from './variables.js';

const SELECT = `SELECT d.id, d.key, d.version, d.name, d.resource, d.deployment_id, d.created_at FROM engine_definition d`;
const COLUMNS: Record<string, string> = {
  id: 'd.id',
  key: 'd.key',
  name: 'd.name',
  version: 'd.version',
  deploymentId: 'd.deployment_id',
  deployTime: 'd.created_at',
  category: 'd.key',
  tenantId: 'd.id',
  versionTag: 'd.version',
};

@ApiTags('engine-rest')
@Controller('engine-rest/process-definition')
@UseFilters(CamundaExceptionFilter)
export class ProcessDefinitionController {
  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
    private readonly engine: EngineService,
  ) {}

  @Get()
  async list(@RestQuery() q: ProcessDefinitionQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(`${SELECT} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'd.key, d.version', 'd.id')} ${f.page(q.firstResult, q.maxResults)}`, f.params);
    return rows.map(definitionDto);
  }

  @Get('count')
  async count(@RestQuery() q: ProcessDefinitionQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_definition d ${f.where()}`, f.params);
    return { count: row.count };
  }

  @Get('key/:key')
  async byKey(@Param('key') key: string) {
    return definitionDto(await this.latest(key));
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
    return definitionDto(await this.byId(id));
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
    const inst = await this.engine.startProcess(key, { businessKey: dto.businessKey ?? null, variables: values, types, definitionId });
    return instanceDto(inst, dto.withVariablesInReturn === true);
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
