import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatePersonDto } from './dto/create-person.dto.js';
import { ListPersonsQuery } from './dto/list-persons.query.js';
import { OrgService } from './org.service.js';

@ApiTags('org')
@Controller('api/persons')
export class PersonsController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @ApiOperation({ summary: 'Persons, optionally of one unit' })
  list(@Query() q: ListPersonsQuery) {
    return this.org.persons(q.unit);
  }

  @Post()
  @ApiOperation({ summary: 'Add a person (handler 经办人 or head 负责人) to a unit; 422 for an unknown unit' })
  create(@Body() dto: CreatePersonDto) {
    return this.org.createPerson(dto);
  }
}
