import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/domain-exception.js';
import { DefinitionService } from '../engine/definition.service.js';
import { CamundaError, invalidRequest, restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { CreateDeploymentDto, DeleteDeploymentQuery, DeploymentQuery } from './dto/deployment.dto.js';
import { DeploymentDeletion } from '../engine/deployment-deletion.js';
import { isUuid, optionalDate } from './format.js';
import { processFacts } from './definition-facts.js';
import { definitionDto, deploymentDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';

/** The part of a multer file this controller reads (the global multer types are not loaded). */
interface UploadedFile {
  fieldname: string;
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** A refused deployment as Camunda's ParseException: every problem per resource, naming the element. */
function parseException(err: DomainException): CamundaError {
  const problems = ((err.details?.problems ?? []) as { resource: string; element?: string; reason: string }[]).filter(
    Boolean,
  );
  const details: Record<string, { errors: unknown[]; warnings: unknown[] }> = {};
  for (const p of problems) {
    const where = /\(line (\d+), column (\d+)\)/.exec(p.reason);
    (details[p.resource] ??= { errors: [], warnings: [] }).errors.push({
      message: p.element ? `${p.element}: ${p.reason}` : p.reason,
      line: where ? Number(where[1]) : null,
      column: where ? Number(where[2]) : null,
      mainElementId: p.element ?? null,
      elementIds: p.element ? [p.element] : [],
    });
  }
  return new CamundaError(
    400,
    'ParseException',
    `ENGINE-09005 Could not parse BPMN process. Errors in ${err.message}`,
    { details },
  );
}

const COLUMNS = { id: 'd.id', name: 'd.name', deploymentTime: 'd.deployed_at', tenantId: 'd.id' };

@ApiTags('engine-rest')
@Controller('engine-rest/deployment')
@UseFilters(CamundaExceptionFilter)
export class DeploymentController {
  constructor(
    private readonly definitions: DefinitionService,
    private readonly db: DataSource,
    private readonly deletion: DeploymentDeletion,
  ) {}

  /**
   * Deploys the BPMN files of a multipart form as Camunda Modeler sends it. Nothing is stored unless every
   * file passes the checks; an unchanged file makes no new version (as with enable-duplicate-filtering).
   */
  @Post('create')
  @HttpCode(200)
  @UseInterceptors(AnyFilesInterceptor())
  async create(@UploadedFiles() files: UploadedFile[] | undefined, @RestBody() dto: CreateDeploymentDto) {
    if (!files?.length) throw invalidRequest('No deployment resources contained in the form upload.');
    if (dto['tenant-id']) throw invalidRequest('tenants are not supported: leave tenant-id empty');
    const name = dto['deployment-name']?.trim() || files[0].originalname.replace(/\.(bpmn20\.xml|bpmn|xml)$/i, '');
    let result: Awaited<ReturnType<DefinitionService['deploy']>>;
    try {
      result = await this.definitions.deploy(
        name,
        files.map((f) => ({ resource: f.originalname || f.fieldname, content: f.buffer })),
        dto['deployment-source']?.trim() || 'engine-rest',
      );
    } catch (err) {
      if (err instanceof DomainException && err.code === 'DEPLOY_REFUSED') throw parseException(err);
      throw err;
    }
    const created = result.resources.filter((r) => r.created);
    // Nothing changed: Camunda answers with the deployment that holds the resources and no new definitions.
    const deploymentId = result.deploymentId ?? result.existingDeploymentId;
    const [deployment] = await this.db.query(`SELECT * FROM engine_deployment WHERE id = $1`, [deploymentId]);
    return {
      ...deploymentDto(deployment),
      deployedProcessDefinitions: created.length
        ? Object.fromEntries(
            await Promise.all(
              created.map(async (r) => [
                r.definition.id,
                definitionDto(
                  r.definition,
                  processFacts(await this.definitions.context(r.definition.id), r.definition.key),
                ),
              ]),
            ),
          )
        : null,
      deployedCaseDefinitions: null,
      deployedDecisionDefinitions: null,
      deployedDecisionRequirementsDefinitions: null,
    };
  }

  @Get()
  async list(@RestQuery() q: DeploymentQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(
      `SELECT d.* FROM engine_deployment d ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'd.deployed_at', 'd.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(deploymentDto);
  }

  @Get('count')
  async count(@RestQuery() q: DeploymentQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_deployment d ${f.where()}`, f.params);
    return { count: row.count };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const [row] = isUuid(id) ? await this.db.query(`SELECT * FROM engine_deployment WHERE id = $1`, [id]) : [];
    if (!row) throw restNotFound(`Deployment with id '${id}' does not exist`);
    return deploymentDto(row);
  }

  /**
   * Deletes the deployment and its definitions. With instances it needs `cascade=true`, which removes them with
   * everything the engine holds of them (tasks, timers, history); refused (409) while the ledger or a caller in
   * another deployment still points at one of them.
   */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @RestQuery() q: DeleteDeploymentQuery) {
    if (!isUuid(id)) throw restNotFound(`Deployment with id '${id}' does not exist`);
    try {
      await this.deletion.delete(id, q.cascade === true);
    } catch (err) {
      if (err instanceof DomainException && err.code === 'NOT_FOUND')
        throw restNotFound(`Deployment with id '${id}' does not exist`);
      if (err instanceof DomainException && err.code === 'DEPLOYMENT_IN_USE')
        throw new CamundaError(409, 'ProcessEngineException', err.message);
      throw err;
    }
  }

  private filter(q: DeploymentQuery): SqlFilter {
    const f = new SqlFilter();
    f.uuid(q.id, (p) => `d.id = ${p}::uuid`)
      .when(q.name, (p) => `d.name = ${p}`)
      .when(q.nameLike, (p) => `d.name LIKE ${p}`)
      .when(q.source, (p) => `d.source = ${p}`)
      .when(optionalDate(q.before, 'before'), (p) => `d.deployed_at < ${p}`)
      .when(optionalDate(q.after, 'after'), (p) => `d.deployed_at > ${p}`)
      .tenants(q, q.includeDeploymentsWithoutTenantId);
    return f;
  }
}
