import { Controller, Get, Header, Injectable, Param, StreamableFile, type OnModuleInit } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../auth/dto/login.dto.js';
import { DataSource } from 'typeorm';
import { AccessResolvers } from '../auth/access-resolvers.js';
import { notFound } from '../common/domain-exception.js';
import { isUuid } from '../engine/engine.service.js';
import { ActionsRepository } from '../supervision/actions/actions.repository.js';
import { BulletinRepository } from './bulletin.repository.js';
import { issuerOf } from './bulletin-view.js';
import { binary } from './dto/reports.doc.js';
import { actionDocx } from './export/action-docx.js';
import { DOCX_MIME, attachment } from './export/official-docx.js';

/** Each supervision action (督办单, 约谈…) as an official document; a unit account gets its own unit's, and those copied to it. */
@Injectable()
export class ActionDocuments implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly actions: ActionsRepository,
    private readonly bulletins: BulletinRepository,
    private readonly resolvers: AccessResolvers,
  ) {}

  onModuleInit(): void {
    this.resolvers.register('action', async (id, user) => {
      if (!user.unitCode || !isUuid(id)) return false;
      // Addressed to the unit, or copied to it (抄送) as a 配合单位 of the action's problem.
      const [row] = await this.db.query(
        `SELECT 1 FROM supervision_action a JOIN problem p ON p.id = a.problem_id
          WHERE a.id = $1 AND (a.unit_code = $2 OR $2 = ANY(p.responsible_units))`,
        [id, user.unitCode],
      );
      return Boolean(row);
    });
  }

  async docx(id: string): Promise<{ name: string; content: Buffer }> {
    const a = isUuid(id) ? await this.actions.find(this.db, id) : null;
    if (!a) throw notFound('supervision action', id);
    const { names, city } = await this.bulletins.unitNames();
    const content = await actionDocx({
      type: a.type,
      status: a.status,
      title: a.title,
      documentNo: a.document_no,
      unitName: names.get(a.unit_code) ?? a.unit_code,
      issuedAt: new Date(a.issued_at),
      deadline: a.deadline,
      body: a.body ?? {},
      issuer: issuerOf(city),
    });
    return { name: `${a.document_no ?? a.title}.docx`, content };
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/supervision/actions')
export class ActionDocumentsController {
  constructor(private readonly documents: ActionDocuments) {}

  @Get(':id.docx')
  @Header('Content-Type', DOCX_MIME)
  @ApiOperation({ summary: 'A supervision action (督办单, 约谈通知/记录, 通报…) as an official document' })
  @ApiOkResponse(binary(DOCX_MIME))
  @ApiForbiddenResponse({ description: "inspectors, and units for another unit's action", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no supervision action with this id', type: ErrorResponse })
  async docx(@Param('id') id: string) {
    const doc = await this.documents.docx(id);
    return new StreamableFile(doc.content, { disposition: attachment(`action-${id}.docx`, doc.name) });
  }
}
