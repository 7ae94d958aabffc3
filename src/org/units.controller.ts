import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { UpdateUnitDto } from './dto/update-org.dto.js';
import { CreateUnitDto } from './dto/create-unit.dto.js';
import { UnitDoc } from './dto/org.doc.js';
import { OrgService } from './org.service.js';

@ApiTags('org')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/units')
export class UnitsController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @ApiOperation({ summary: 'All units (the tree is given by parentCode)' })
  @ApiOkResponse({ type: [UnitDoc] })
  list() {
    return this.org.units();
  }

  @Post()
  @ApiOperation({ summary: 'Add a unit; 422 for an unknown parent, 409 for a code or name already taken' })
  @ApiCreatedResponse({ type: UnitDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) add units', type: ErrorResponse })
  @ApiConflictResponse({
    description: 'a unit with this code or name exists (`field` says which)',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description: 'a bad code or name, or an unknown parentCode',
    type: ValidationErrorResponse,
  })
  create(@Body() dto: CreateUnitDto) {
    return this.org.createUnit(dto);
  }

  @Patch(':code')
  @ApiOperation({ summary: 'Rename a unit or move it in the tree; its code stays' })
  @ApiOkResponse({ type: UnitDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) change the organisation', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no such unit', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the name is taken by another unit', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'a bad field or nothing to change, an unknown parent or one below the unit itself',
    type: ValidationErrorResponse,
  })
  update(@Param('code') code: string, @Body() dto: UpdateUnitDto, @CurrentUser() user: AuthUser) {
    return this.org.updateUnit(code, dto, { actor: user.accountId, actorName: user.username });
  }
}
