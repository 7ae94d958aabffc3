import { Controller, Delete, Get, HttpCode, Param, Post, Put, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Clock } from '../clock/clock.js';
import { DefinitionService } from '../engine/definition.service.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { defaultValue, taskFormFields } from './definition-facts.js';
import {
  FormVariablesQuery,
  VariableModificationsDto,
  VariableReadQuery,
  VariableValueDto,
} from './dto/variables.dto.js';
import { RestBody, RestQuery } from './params.js';
import { VariableAccess } from './variable-access.service.js';
import type { TypedValue } from './variables.js';

/**
 * The variables a task sees (its process's, with the task's input over them). Setting one through a task sets it
 * on the process, as Camunda does for a variable the task does not hold locally.
 */
@ApiTags('engine-rest')
@Controller('engine-rest/task')
@UseFilters(CamundaExceptionFilter)
export class TaskVariablesController {
  constructor(
    private readonly vars: VariableAccess,
    private readonly definitions: DefinitionService,
    private readonly clock: Clock,
  ) {}

  @Get(':id/variables')
  async list(@Param('id') id: string, @RestQuery() _q: VariableReadQuery) {
    const { values, types } = await this.vars.ofTask(await this.vars.task(id));
    return this.vars.typedMap(values, types);
  }

  @Get(':id/variables/:name')
  async get(@Param('id') id: string, @Param('name') name: string, @RestQuery() _q: VariableReadQuery) {
    const { values, types } = await this.vars.ofTask(await this.vars.task(id));
    return this.vars.one(values, types, name, `task variable with name ${name} does not exist`);
  }

  @Put(':id/variables/:name')
  @HttpCode(204)
  async put(@Param('id') id: string, @Param('name') name: string, @RestBody() dto: VariableValueDto) {
    const task = await this.vars.task(id);
    await this.vars.put(task.instance_id, name, dto);
  }

  @Delete(':id/variables/:name')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Param('name') name: string) {
    const task = await this.vars.task(id);
    await this.vars.remove(task.instance_id, name);
  }

  @Post(':id/variables')
  @HttpCode(204)
  async modify(@Param('id') id: string, @RestBody() dto: VariableModificationsDto) {
    const task = await this.vars.task(id);
    await this.vars.modify(task.instance_id, dto.modifications, dto.deletions);
  }

  /**
   * The variables of the task's form: with a generated form (`camunda:formData`) its fields, each with the
   * current value or the field's default; otherwise every variable the task sees. `variableNames` narrows either.
   */
  @Get(':id/form-variables')
  async formVariables(@Param('id') id: string, @RestQuery() q: FormVariablesQuery) {
    const task = await this.vars.task(id);
    const { values, types } = await this.vars.ofTask(task);
    const fields = taskFormFields(await this.definitions.context(task.definition_id), task.activity_id);
    if (!fields) return this.vars.typedMap(values, types, q.variableNames ?? null);
    const out: Record<string, TypedValue> = {};
    for (const f of fields) {
      if (q.variableNames && !q.variableNames.includes(f.id)) continue;
      if (Object.prototype.hasOwnProperty.call(values, f.id)) out[f.id] = this.vars.one(values, types, f.id, '');
      else
        out[f.id] = defaultValue(f, {
          variables: values,
          execution: { processInstanceId: task.instance_id, activityId: task.activity_id },
          now: () => this.clock.now(),
        });
    }
    return out;
  }
}
