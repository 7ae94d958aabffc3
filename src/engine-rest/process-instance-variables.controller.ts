import { Controller, Delete, Get, HttpCode, Param, Post, Put, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { VariableModificationsDto, VariableReadQuery, VariableValueDto } from './dto/variables.dto.js';
import { RestBody, RestQuery } from './params.js';
import { VariableAccess } from './variable-access.service.js';

/** The variables of a running process instance: read, set, modify several at once, delete. */
@ApiTags('engine-rest')
@Controller('engine-rest/process-instance')
@UseFilters(CamundaExceptionFilter)
export class ProcessInstanceVariablesController {
  constructor(private readonly vars: VariableAccess) {}

  @Get(':id/variables')
  async list(@Param('id') id: string, @RestQuery() _q: VariableReadQuery) {
    const inst = await this.vars.running(id);
    return this.vars.typedMap(inst.variables, inst.variable_types);
  }

  @Get(':id/variables/:name')
  async get(@Param('id') id: string, @Param('name') name: string, @RestQuery() _q: VariableReadQuery) {
    const inst = await this.vars.running(id);
    return this.vars.one(
      inst.variables,
      inst.variable_types,
      name,
      `process instance variable with name ${name} does not exist`,
    );
  }

  @Put(':id/variables/:name')
  @HttpCode(204)
  async put(@Param('id') id: string, @Param('name') name: string, @RestBody() dto: VariableValueDto) {
    await this.vars.running(id);
    await this.vars.put(id, name, dto);
  }

  @Delete(':id/variables/:name')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Param('name') name: string) {
    await this.vars.running(id);
    await this.vars.remove(id, name);
  }

  @Post(':id/variables')
  @HttpCode(204)
  async modify(@Param('id') id: string, @RestBody() dto: VariableModificationsDto) {
    await this.vars.running(id);
    await this.vars.modify(id, dto.modifications, dto.deletions);
  }
}
