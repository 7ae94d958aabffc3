import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ErrorResponse } from '../common/error-response.doc.js';
import { supervisedRoot } from '../org/office-scope.js';
import { XLSX_MIME } from './export/ledger-workbook.js';
import { LedgerService } from './ledger.service.js';

@ApiTags('problems')
@ApiBearerAuth()
@Controller('api')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('ledger.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @Header(
    'Content-Disposition',
    `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('整改台账.xlsx')}`,
  )
  @ApiOperation({
    summary: "台账: the ledger as a spreadsheet, one row per problem (an office of a lower level: its subtree's)",
  })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({
    description: 'the ledger workbook (整改台账.xlsx)',
    content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'a unit account may not download the whole ledger', type: ErrorResponse })
  async download(@CurrentUser() user: AuthUser) {
    return new StreamableFile(await this.ledger.workbook(supervisedRoot(user)));
  }
}
