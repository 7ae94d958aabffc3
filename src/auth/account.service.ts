import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { conflict } from '../common/domain-exception.js';
import { unknownReference } from '../org/org.service.js';
import { AccountsRepository, type AccountRow } from './accounts.repository.js';
import type { AuthUser } from './auth-user.js';
import type { AccountView, CreateAccountDto } from './dto/create-account.dto.js';
import { hashPassword } from './password-hasher.js';

/** Who creates: a signed-in admin, or the operator at the CLI ('system'). */
export interface CreatedBy {
  actor: string;
  actorName: string | null;
}

export function accountView(a: AccountRow): AccountView {
  return { id: a.id, username: a.username, role: a.role, unitCode: a.unit_code, personId: a.person_id, personName: a.person_name, disabled: a.disabled, createdAt: a.created_at };
}

export function authUserOf(a: AccountRow): AuthUser {
  return { accountId: a.id, username: a.username, role: a.role, personId: a.person_id, personName: a.person_name, unitCode: a.unit_code };
}

@Injectable()
export class AccountService {
  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<AccountView[]> {
    return (await this.accounts.list()).map(accountView);
  }

  /** 422 naming the field for a unit or person that does not fit, 409 for a taken username. */
  async create(dto: CreateAccountDto, by: CreatedBy): Promise<AccountView> {
    const unitCode = dto.unitCode?.trim() || null;
    const personId = dto.personId ?? null;
    if (dto.role === 'unit' && !unitCode) throw unknownReference('unitCode', 'a unit account needs the code of its unit');
    if (dto.role !== 'unit' && unitCode) throw unknownReference('unitCode', `only unit accounts belong to a unit, not ${dto.role} accounts`);
    if (unitCode && !(await this.accounts.unitExists(unitCode))) throw unknownReference('unitCode', `no unit with code ${unitCode}`);
    if (personId) {
      const person = await this.accounts.person(personId);
      if (!person) throw unknownReference('personId', `no person with id ${personId}`);
      if (unitCode && person.unit_code !== unitCode) throw unknownReference('personId', `the person belongs to unit ${person.unit_code}, not ${unitCode}`);
    }
    const passwordHash = await hashPassword(dto.password);
    const id = randomUUID();
    await this.db.transaction(async (m) => {
      const inserted = await this.accounts.insert({ id, username: dto.username, passwordHash, role: dto.role, personId, unitCode }, this.clock.date(), m);
      if (!inserted) throw conflict(`an account named ${dto.username} already exists`, { field: 'username' });
      await this.audit.record(
        { ...by, action: 'account.created', entityType: 'account', entityId: id, after: { username: dto.username, role: dto.role, unitCode, personId } },
        m,
      );
    });
    return accountView((await this.accounts.findById(id))!);
  }
}
