import { Injectable } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service.js';
import { Clock } from '../clock/clock.js';
import { OrgService } from '../org/org.service.js';
import { ledgerWorkbook } from './export/ledger-workbook.js';
import { ProblemsRepository, type ProblemRow } from './problems.repository.js';

const PAGE = 2000;

@Injectable()
export class LedgerService {
  constructor(
    private readonly problems: ProblemsRepository,
    private readonly org: OrgService,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
  ) {}

  /** The ledger of the subtree of `within` (an office of a lower level), or the whole ledger. */
  async workbook(within: string | null = null): Promise<Buffer> {
    const repo = this.problems;
    const units = within ? await this.org.subtreeCodes(within) : null;
    async function* pages(): AsyncIterable<ProblemRow[]> {
      let after = '';
      for (;;) {
        const rows = await repo.ledgerPage(after, PAGE, units);
        if (!rows.length) return;
        yield rows;
        after = rows[rows.length - 1].code;
      }
    }
    const isWorkday = (date: string): boolean => this.calendar.current.isWorkday(date);
    return ledgerWorkbook(pages(), await this.org.directory(), this.clock.now(), isWorkday);
  }
}
