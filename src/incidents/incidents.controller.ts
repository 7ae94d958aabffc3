import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { IncidentDoc, IncidentPageDoc } from './dto/incident.doc.js';
import { ListIncidentsQuery } from './dto/list-incidents.query.js';
import { IncidentsService } from './incidents.service.js';

@ApiTags('incidents')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'only the office and admin see and retry incidents', type: ErrorResponse })
@Controller('api/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @ApiOperation({
    summary: 'Incidents (failed steps that stopped a process), newest first: problem, element, reason in Chinese',
  })
  @ApiOkResponse({ type: IncidentPageDoc })
  @ApiUnprocessableEntityResponse({ description: 'a bad state, page or pageSize', type: ValidationErrorResponse })
  list(@Query() q: ListIncidentsQuery) {
    return this.incidents.list({ open: q.state === 'all' ? undefined : q.state === 'open' }, q.page, q.pageSize);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: IncidentDoc })
  @ApiNotFoundResponse({ description: 'no such incident', type: ErrorResponse })
  get(@Param('id') id: string) {
    return this.incidents.get(id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the failed step again; answers the incident resolved, or 422 RETRY_FAILED with the new reason',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: IncidentDoc, description: 'the step ran: the incident is resolved and the process goes on' })
  @ApiNotFoundResponse({ description: 'no such incident', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the incident is already resolved', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'the step failed again (RETRY_FAILED, with the incident and its reason)',
    type: ErrorResponse,
  })
  retry(@Param('id') id: string) {
    return this.incidents.retry(id);
  }
}
