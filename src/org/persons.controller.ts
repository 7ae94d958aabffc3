import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
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
import { UpdatePersonDto } from './dto/update-org.dto.js';
import { CreatePersonDto } from './dto/create-person.dto.js';
import { ListPersonsQuery } from './dto/list-persons.query.js';
import { PersonDoc } from './dto/org.doc.js';
import { OrgService } from './org.service.js';
import { supervisedRoot } from './office-scope.js';

@ApiTags('org')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/persons')
export class PersonsController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @ApiOperation({ summary: 'Persons, optionally of one unit' })
  @ApiOkResponse({
    type: [PersonDoc],
    description: "a unit account gets its own unit's persons, whatever unit it asks for",
  })
  @ApiUnprocessableEntityResponse({ description: 'a bad or unknown query parameter', type: ValidationErrorResponse })
  list(@Query() q: ListPersonsQuery, @CurrentUser() user?: AuthUser) {
    // 分级督办: an office of a lower level lists its own subtree's persons.
    return this.org.persons(q.unit, supervisedRoot(user));
  }

  @Post()
  @ApiOperation({ summary: 'Add a person (handler 经办人 or head 负责人) to a unit; 422 for an unknown unit' })
  @ApiCreatedResponse({ type: PersonDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) add persons', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'a bad field, or an unknown unitCode', type: ValidationErrorResponse })
  create(@Body() dto: CreatePersonDto, @CurrentUser() user?: AuthUser) {
    return this.org.createPerson(dto, supervisedRoot(user));
  }

  @Patch(':id')
  @ApiOperation({ summary: "Correct a person's name, role, phone or unit" })
  @ApiOkResponse({ type: PersonDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) change the organisation', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no such person', type: ErrorResponse })
  @ApiConflictResponse({
    description: 'the person uses an account of their unit (PERSON_HAS_ACCOUNT)',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description: 'a bad field or nothing to change, an unknown unit',
    type: ValidationErrorResponse,
  })
  update(@Param('id') id: string, @Body() dto: UpdatePersonDto, @CurrentUser() user: AuthUser) {
    return this.org.updatePerson(id, dto, { actor: user.accountId, actorName: user.username }, supervisedRoot(user));
  }
}
