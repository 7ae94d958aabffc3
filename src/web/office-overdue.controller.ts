import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PageQuery } from './dto/web-queries.dto.js';
import { OfficeOverdueService } from './office-overdue.service.js';

@ApiTags('web')
@ApiBearerAuth()
@Controller('api/web/office-overdue')
export class OfficeOverdueController {
  constructor(private readonly overdue: OfficeOverdueService) {}

  @Get()
  @ApiOperation({
    summary:
      '办公室超期事项: the office group’s open tasks past their due date, every kind, earliest due first, late in working and calendar days',
  })
  @ApiResponse({ status: 422, description: 'a bad page' })
  list(@Query() q: PageQuery) {
    return this.overdue.list(q.page, q.pageSize);
  }
}
