import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ListActionsQuery } from './dto/list-actions.query.js';
import { PutSettingsDto } from './dto/put-settings.dto.js';
import { RequestExtensionDto } from './dto/request-extension.dto.js';
import { ExtensionService } from './extension/extension.service.js';
import { SettingsService } from './settings/settings.service.js';
import { SupervisionService } from './supervision.service.js';

@ApiTags('supervision')
@Controller('api/supervision')
export class SupervisionController {
  constructor(
    private readonly supervision: SupervisionService,
    private readonly settings: SettingsService,
  ) {}

  @Get('actions')
  @ApiOperation({
    summary:
      'Supervision actions (提醒、催办、督办单、通报、约谈、专项督察、追责、延期), newest first, filtered and paged',
  })
  list(@Query() q: ListActionsQuery) {
    return this.supervision.list(q);
  }

  @Get('actions/:id')
  @ApiOperation({ summary: 'One action with its document body (and, for 追责, the register rows)' })
  get(@Param('id') id: string) {
    return this.supervision.get(id);
  }

  @Post('actions/:id/commitment-kept')
  @HttpCode(200)
  @ApiOperation({
    summary: '承诺兑现: the interviewed unit kept its commitment; the interview ends without escalating',
  })
  commitmentKept(@Param('id') id: string) {
    return this.supervision.commitmentKept(id);
  }

  @Get('settings')
  @ApiOperation({ summary: 'The escalation ladder thresholds (working days) and the monthly report day' })
  getSettings() {
    return this.settings.get();
  }

  @Put('settings')
  @ApiOperation({
    summary: 'Change thresholds (partial); ladders started afterwards take them. 422 names every bad field',
  })
  putSettings(@Body() dto: PutSettingsDto) {
    return this.settings.put(Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
  }
}

@ApiTags('supervision')
@Controller('api/problems')
export class ExtensionController {
  constructor(private readonly extensions: ExtensionService) {}

  @Post(':id/extension')
  @HttpCode(201)
  @ApiOperation({ summary: '延期申请: ask for a later deadline; the office reviews it (extension.bpmn)' })
  request(@Param('id') id: string, @Body() dto: RequestExtensionDto, @CurrentUser() user?: AuthUser) {
    return this.extensions.request(id, dto, user?.personName ?? user?.username ?? null);
  }
}
