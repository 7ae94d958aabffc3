import { Controller, Get, Param, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DeploymentResourceService, type ResourceRow } from '../engine/deployment-resource.service.js';
import { restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';

// Camunda's DeploymentResourcesResourceImpl media types for the kinds of files kept here.
const MEDIA_TYPES: Record<string, string> = {
  bpmn: 'application/xml',
  xml: 'application/xml',
  dmn: 'application/xml',
  json: 'application/json',
};

function resourceDto(r: ResourceRow) {
  return { id: r.id, name: r.name, deploymentId: r.deployment_id };
}

/** The files of a deployment (BPMN, Camunda forms, DMN), as Camunda's repository REST API lists and serves them. */
@ApiTags('engine-rest')
@Controller('engine-rest/deployment/:id/resources')
@UseFilters(CamundaExceptionFilter)
export class DeploymentResourceController {
  constructor(private readonly resources: DeploymentResourceService) {}

  @Get()
  @ApiOperation({ summary: 'The resources of a deployment' })
  async list(@Param('id') id: string) {
    const rows = await this.resources.list(id);
    if (!rows?.length) throw restNotFound(`Deployment resources for deployment id '${id}' do not exist.`);
    return rows.map(resourceDto);
  }

  @Get(':resourceId')
  @ApiOperation({ summary: 'One resource of a deployment' })
  async get(@Param('id') id: string, @Param('resourceId') resourceId: string) {
    const rows = await this.resources.list(id);
    if (!rows?.length) throw restNotFound(`Deployment resources for deployment id '${id}' do not exist.`);
    const row = rows.find((r) => r.id === resourceId);
    if (!row)
      throw restNotFound(
        `Deployment resource with resource id '${resourceId}' for deployment id '${id}' does not exist.`,
      );
    return resourceDto(row);
  }

  @Get(':resourceId/data')
  @ApiOperation({ summary: 'The content of a resource of a deployment' })
  async data(@Param('id') id: string, @Param('resourceId') resourceId: string, @Res() res: Response) {
    const row = await this.resources.content(id, resourceId);
    if (!row) throw restNotFound(`Deployment resource '${resourceId}' for deployment id '${id}' does not exist.`);
    const file = row.name.replace(/\\/g, '/').split('/').pop() || 'data';
    const ext = file.includes('.') ? file.split('.').pop()!.toLowerCase() : '';
    res.setHeader('Content-Type', MEDIA_TYPES[ext] ?? 'application/octet-stream');
    // RFC 6266 / 5987: the name as sent may hold any character; quoted ASCII fallback plus the UTF-8 form.
    const ascii = file.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).end(row.content);
  }
}
