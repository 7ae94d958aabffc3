import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { isUUID } from 'class-validator';
import { Clock } from '../clock/clock.js';
import { DomainException, conflict } from '../common/domain-exception.js';
import type { Queryable } from '../engine/definition.service.js';
import { unknownReference } from '../org/org.service.js';
import { AccountsRepository, type AccountRow } from './accounts.repository.js';
import type { AuthUser, Role } from './auth-user.js';
import type { AccountView, CreateAccountDto } from './dto/create-account.dto.js';
import type { UpdateAccountDto } from './dto/update-account.dto.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { hashPassword } from './password-hasher.js';

/** Who creates: a signed-in admin, or the operator at the CLI ('system'). */
export interface CreatedBy {
  actor: string;
  actorName: string | null;
}

export function accountView(a: AccountRow): AccountView {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    unitCode: a.unit_code,
    personId: a.person_id,
    personName: a.person_name,
    disabled: a.disabled,
    createdAt: a.created_at,
  };
}

export function authUserOf(a: AccountRow): AuthUser {
  return {
    accountId: a.id,
    username: a.username,
    role: a.role,
    personId: a.person_id,
    personName: a.person_name,
    unitCode: a.unit_code,
  };
}

const ROLE_LABELS: Record<string, string> = {
  admin: '管理员',
  office: '督办办公室',
  leader: '领导',
  inspector: '督察组',
  unit: '单位',
};

@Injectable()
export class AccountService {
  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<AccountView[]> {
    return (await this.accounts.list()).map(accountView);
  }

  /** 422 naming the field for a unit or person that does not fit, 409 for a taken username. */
  /** Without a password, one is made up and answered once as `temporaryPassword` (the admin hands it over). */
  async create(dto: CreateAccountDto, by: CreatedBy): Promise<AccountView & { temporaryPassword?: string }> {
    const unitCode = dto.unitCode?.trim() || null;
    const personId = dto.personId ?? null;
    await this.checkPlacement(dto.role, unitCode, personId);
    const temporaryPassword = dto.password === undefined ? temporaryPasswordOf() : undefined;
    const passwordHash = await hashPassword(dto.password ?? temporaryPassword!);
    const id = randomUUID();
    await this.db.transaction(async (m) => {
      const inserted = await this.accounts.insert(
        { id, username: dto.username, passwordHash, role: dto.role, personId, unitCode },
        this.clock.date(),
        m,
      );
      if (!inserted) throw conflict(`账号 ${dto.username} 已存在`, { field: 'username' });
      await this.audit.record(
        {
          ...by,
          action: 'account.created',
          entityType: 'account',
          entityId: id,
          after: { username: dto.username, role: dto.role, unitCode, personId },
        },
        m,
      );
    });
    const view = accountView((await this.accounts.findById(id))!);
    return temporaryPassword ? { ...view, temporaryPassword } : view;
  }

  /**
   * 重置密码: a new random password the admin hands over (shown once, never stored in clear); the account's
   * tokens and sign-in locks end with the old one (update).
   */
  async resetPassword(id: string, by: CreatedBy): Promise<{ temporaryPassword: string; account: AccountView }> {
    const temporaryPassword = temporaryPasswordOf();
    const account = await this.update(id, { password: temporaryPassword }, by);
    return { temporaryPassword, account };
  }

  /** A role's unit and person fit together and exist: 422 naming the field otherwise. */
  private async checkPlacement(role: Role, unitCode: string | null, personId: string | null, q: Queryable = this.db) {
    if (role === 'unit' && !unitCode) throw unknownReference('unitCode', '单位账号需要填写所属单位编码');
    // An office account may name its office's unit: it then supervises that unit's subtree only (分级督办).
    if (role !== 'unit' && role !== 'office' && unitCode) {
      throw unknownReference(
        'unitCode',
        `只有单位账号和督办办公室账号属于单位，${ROLE_LABELS[role] ?? role}账号不填单位`,
      );
    }
    if (unitCode && !(await this.accounts.unitExists(unitCode, q))) {
      throw unknownReference('unitCode', `没有编码为 ${unitCode} 的单位`);
    }
    if (personId) {
      const person = await this.accounts.person(personId, q);
      if (!person) throw unknownReference('personId', `没有 id 为 ${personId} 的人员`);
      if (unitCode && person.unit_code !== unitCode) {
        throw unknownReference('personId', `该人员属于单位 ${person.unit_code}，不属于 ${unitCode}`);
      }
    }
  }

  /** The account named `username` (the operator's CLI names accounts by name). */
  async idOf(username: string): Promise<string> {
    const account = await this.accounts.findByUsername(username);
    if (!account) throw new DomainException('NOT_FOUND', 404, `没有名为 ${username} 的账号`);
    return account.id;
  }

  /**
   * Disables or enables an account, resets its password, changes its role, unit or person: one audit entry
   * per kind of change. Disabling, a new password and a new role, unit or person end its tokens at once
   * (token_version) and its HTTP Basic sessions; the last enabled admin cannot be disabled or given another role.
   */
  async update(id: string, dto: UpdateAccountDto, by: CreatedBy): Promise<AccountView> {
    if (!isUUID(id)) throw accountNotFound(id);
    const fields = ['disabled', 'role', 'unitCode', 'personId', 'password'] as const;
    if (!fields.some((k) => dto[k] !== undefined)) {
      const message = '没有要修改的内容：请给出 disabled、role、unitCode、personId 或 password';
      throw new DomainException('VALIDATION', 422, message, { fields: [] });
    }
    const passwordHash = dto.password !== undefined ? await hashPassword(dto.password) : null;
    await this.db.transaction(async (m) => {
      await this.accounts.lockChanges(m);
      const a = await this.accounts.findForUpdate(id, m);
      if (!a) throw accountNotFound(id);
      const role = dto.role ?? a.role;
      const keepsUnit = role === 'unit' || (role === 'office' && a.role === 'office');
      const unitCode = dto.unitCode !== undefined ? dto.unitCode?.trim() || null : keepsUnit ? a.unit_code : null;
      const personId = dto.personId !== undefined ? dto.personId : a.person_id;
      const disabled = dto.disabled ?? a.disabled;
      const placed = role !== a.role || unitCode !== a.unit_code || personId !== a.person_id;
      if (placed) await this.checkPlacement(role, unitCode, personId, m);
      const wasAdmin = a.role === 'admin' && !a.disabled;
      if (wasAdmin && (disabled || role !== 'admin') && (await this.accounts.enabledAdmins(m)) <= 1) {
        throw new DomainException(
          'LAST_ADMIN',
          409,
          '这是最后一个可用的管理员账号，不能停用或改为其他角色；请先启用或创建另一个管理员',
        );
      }
      const bumpTokens = (disabled && !a.disabled) || passwordHash !== null || placed;
      await this.accounts.update(id, { role, unitCode, personId, disabled, passwordHash, bumpTokens }, m);
      const entry = { ...by, entityType: 'account', entityId: id, details: { username: a.username } };
      if (disabled !== a.disabled) {
        const action = disabled ? 'account.disabled' : 'account.enabled';
        await this.audit.record({ ...entry, action, before: { disabled: a.disabled }, after: { disabled } }, m);
      }
      if (placed) {
        const before = { role: a.role, unitCode: a.unit_code, personId: a.person_id };
        const after = { role, unitCode, personId };
        await this.audit.record({ ...entry, action: 'account.updated', before, after }, m);
      }
      if (passwordHash !== null) {
        // Its locks were about guesses at the old password.
        await this.throttle.clearName(a.username, m);
        await this.audit.record({ ...entry, action: 'account.password_reset' }, m);
      }
    });
    return accountView((await this.accounts.findById(id))!);
  }
}

/** 16 characters from an alphabet without look-alikes (0/O, 1/l/I), about 92 bits. */
function temporaryPasswordOf(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  let out = '';
  while (out.length < 16) {
    for (const b of randomBytes(32)) {
      // 224 = 4 × 56: below it every letter is equally likely.
      if (b < 224 && out.length < 16) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

function accountNotFound(id: string): DomainException {
  return new DomainException('NOT_FOUND', 404, `没有 id 为 ${id} 的账号`);
}
