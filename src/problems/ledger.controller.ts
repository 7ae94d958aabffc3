import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { XLSX_MIME } from './export/ledger-workbook.js';
import { LedgerService } from './ledger.service.js';

@ApiTags('problems')
@Controller('api')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('ledger.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @Header('Content-Disposition', `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('整改台账.xlsx')}`)
  @ApiOperation({ summary: '台账: the whole ledger as a spreadsheet, one row per problem' })
  async download() {
    return new StreamableFile(await this.ledger.workbook());
  }
}
