import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DiagramService } from './diagram.service.js';

@ApiTags('web')
@ApiBearerAuth()
@Controller('api/web')
export class DiagramController {
  constructor(private readonly diagrams: DiagramService) {}

  @Get('instances/:id/diagram')
  @ApiOperation({
    summary:
      "A process instance's diagram: XML, the activities passed (start/end), the current steps with their due times",
  })
  @ApiResponse({ status: 404, description: 'no such instance' })
  instance(@Param('id') id: string) {
    return this.diagrams.ofInstance(id);
  }

  @Get('problems/:id/diagram')
  @ApiOperation({ summary: "The diagram of a problem's (id or code) process instance; a unit reads its own problems'" })
  @ApiResponse({ status: 404, description: 'no such problem, or it has no process' })
  problem(@Param('id') id: string) {
    return this.diagrams.ofProblem(id);
  }
}
