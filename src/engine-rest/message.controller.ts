import { Controller, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainException } from '../common/domain-exception.js';
import { EngineService } from '../engine/engine.service.js';
import { CamundaError, invalidRequest } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { CorrelateMessageDto, SignalDto } from './dto/message.dto.js';
import { isUuid } from './format.js';
import { instanceDto } from './mappers.js';
import { RestBody } from './params.js';
import { fromTyped, readTyped, toTyped } from './variables.js';

function mismatch(name: string): CamundaError {
  return new CamundaError(
    400,
    'MismatchingMessageCorrelationException',
    `Cannot correlate message '${name}': No process definition or execution matches the parameters`,
  );
}

function nonEmpty(o: Record<string, unknown> | undefined): boolean {
  return !!o && Object.keys(o).length > 0;
}

@ApiTags('engine-rest')
@Controller('engine-rest')
@UseFilters(CamundaExceptionFilter)
export class MessageController {
  constructor(private readonly engine: EngineService) {}

  /**
   * Delivers a message to the instance waiting for it (by business key or instance id; to every one with
   * `all`), or starts the process whose start event waits for it. 204, or 200 with the results when
   * resultEnabled; nothing waiting is a 400 MismatchingMessageCorrelationException.
   */
  @Post('message')
  async correlate(@RestBody() dto: CorrelateMessageDto, @Res() res: Response) {
    if (nonEmpty(dto.correlationKeys) || nonEmpty(dto.localCorrelationKeys))
      throw invalidRequest('correlationKeys are not supported: correlate by businessKey or processInstanceId');
    if (dto.tenantId) throw invalidRequest('tenants are not supported: leave tenantId empty');
    if (dto.startMessagesOnly) throw invalidRequest('startMessagesOnly is not supported');
    if (dto.processInstanceId !== undefined && !isUuid(dto.processInstanceId)) throw mismatch(dto.messageName);
    const global = readTyped(dto.processVariables);
    const local = readTyped(dto.processVariablesLocal);
    const variables = { ...global.values, ...local.values };
    const types = { ...global.types, ...local.types };
    let results: { instanceId: string; started: boolean }[];
    try {
      results = await this.engine.correlateMessage(dto.messageName, {
        businessKey: dto.businessKey,
        processInstanceId: dto.processInstanceId,
        variables,
        types,
        all: dto.all === true,
      });
    } catch (err) {
      if (err instanceof DomainException && err.code === 'NO_CORRELATION') throw mismatch(dto.messageName);
      throw err;
    }
    if (!dto.resultEnabled) {
      res.status(204).end();
      return;
    }
    const out = [];
    for (const r of results) {
      const inst = await this.engine.getInstance(r.instanceId);
      const vars = dto.variablesInResultEnabled
        ? { variables: toTyped(inst.variables, null, inst.variable_types) }
        : {};
      out.push(
        r.started
          ? { resultType: 'ProcessDefinition', execution: null, processInstance: instanceDto(inst), ...vars }
          : {
              resultType: 'Execution',
              execution: { id: inst.id, processInstanceId: inst.id, ended: inst.status !== 'active', tenantId: null },
              processInstance: null,
              ...vars,
            },
      );
    }
    res.status(200).json(out);
  }

  /** Broadcasts a signal to every instance waiting for it; 204 even when none waits, as Camunda. */
  @Post('signal')
  @HttpCode(204)
  async signal(@RestBody() dto: SignalDto) {
    if (dto.executionId) throw invalidRequest('executionId is not supported: a signal goes to every waiting instance');
    if (dto.tenantId) throw invalidRequest('tenants are not supported: leave tenantId empty');
    await this.engine.signal(dto.name, fromTyped(dto.variables));
  }
}
