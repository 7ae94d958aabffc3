import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DeploymentDeletion } from '../engine/deployment-deletion.js';

/** The ledger points at the rectification instances of its problems: a deployment deletion may not remove them. */
@Injectable()
export class ProblemInstanceGuard implements OnModuleInit {
  constructor(private readonly deletion: DeploymentDeletion) {}

  onModuleInit(): void {
    this.deletion.guardInstances(async (ids, q) => {
      const rows: { code: string }[] = await q.query(
        `SELECT code FROM problem WHERE process_instance_id = ANY($1::uuid[]) ORDER BY code LIMIT 6`,
        [ids],
      );
      if (!rows.length) return null;
      const codes = rows
        .slice(0, 5)
        .map((r) => r.code)
        .join(', ');
      return `its process instances belong to problems of the ledger (${codes}${rows.length > 5 ? ', …' : ''})`;
    });
  }
}
