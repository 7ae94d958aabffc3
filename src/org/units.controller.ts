import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateUnitDto } from './dto/create-unit.dto.js';
import { OrgService } from './org.service.js';

@ApiTags('org')
@Controller('api/units')
export class UnitsController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @ApiOperation({ summary: 'All units (the tree is given by parentCode)' })
  list() {
    return this.org.units();
  }

  @Post()
  @ApiOperation({ summary: 'Add a unit; 422 for an unknown parent, 409 for a code or name already taken' })
  create(@Body() dto: CreateUnitDto) {
    return this.org.createUnit(dto);
  }
}
