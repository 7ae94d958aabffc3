import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';

/** What Camunda Modeler and other clients ask to check the connection. */
@ApiTags('engine-rest')
@Controller('engine-rest')
@UseFilters(CamundaExceptionFilter)
export class EngineInfoController {
  /** The Camunda 7 REST version this subset follows. */
  @Get('version')
  version() {
    return { version: '7.22.0' };
  }

  @Get('engine')
  engines() {
    return [{ name: 'default' }];
  }
}
