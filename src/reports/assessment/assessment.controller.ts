import { Body, Controller, Get, Header, Param, Put, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../auth/dto/login.dto.js';
import { binary } from '../dto/reports.doc.js';
import { attachment } from '../export/official-docx.js';
import { XLSX_MIME } from '../export/bulletin-workbook.js';
import { AssessmentService } from './assessment.service.js';
import { AssessmentDoc, WeightsDoc } from './dto/assessment.doc.js';
import { PutWeightsDto } from './dto/put-weights.dto.js';

const badYear = { description: 'not a year of 2000–2100, or a year still to come', type: ErrorResponse };

@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'the office, leaders and inspectors only', type: ErrorResponse })
@Controller('api/assessment')
export class AssessmentController {
  constructor(private readonly assessment: AssessmentService) {}

  @Get('settings')
  @ApiOperation({ summary: "The annual score's weights (考核权重)" })
  @ApiOkResponse({ type: WeightsDoc })
  weights() {
    return this.assessment.weights();
  }

  @Put('settings')
  @ApiOperation({
    summary: "Change the annual score's weights (partial, whole points 0–100); 422 names every bad field",
  })
  @ApiOkResponse({ type: WeightsDoc })
  @ApiUnprocessableEntityResponse({ description: 'a weight not whole or out of range', type: ErrorResponse })
  putWeights(@Body() dto: PutWeightsDto) {
    return this.assessment.putWeights(Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
  }

  @Get('current')
  @ApiOperation({ summary: 'The annual score of the current year (China time), so far: as GET /api/assessment/{year}' })
  @ApiOkResponse({ type: AssessmentDoc })
  current() {
    return this.assessment.current();
  }

  @Get(':year.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @ApiOperation({ summary: 'The year as a workbook: 序号, 单位, each indicator, 得分, 排名; the records behind them' })
  @ApiOkResponse(binary(XLSX_MIME))
  @ApiUnprocessableEntityResponse(badYear)
  async xlsx(@Param('year') year: string) {
    const buf = await this.assessment.workbook(year);
    return new StreamableFile(buf, { disposition: attachment(`assessment-${year}.xlsx`, `${year}年度考核.xlsx`) });
  }

  @Get(':year')
  @ApiOperation({
    summary:
      'The annual score (年度考核) per unit, ranked: on-time rate, signed off, 通报, 约谈, 追责, rebounds, missing reports, each with its records',
  })
  @ApiOkResponse({ type: AssessmentDoc })
  @ApiUnprocessableEntityResponse(badYear)
  year(@Param('year') year: string) {
    return this.assessment.year(year);
  }
}
