import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { DomainException, conflict } from '../common/domain-exception.js';
import { isUUID } from 'class-validator';
import type { CreatePersonDto } from './dto/create-person.dto.js';
import type { CreateUnitDto } from './dto/create-unit.dto.js';
import type { UpdatePersonDto, UpdateUnitDto } from './dto/update-org.dto.js';
import type { Queryable } from '../engine/definition.service.js';
import { OrgRepository, type PersonRow, type UnitRow } from './org.repository.js';
import { UnitDirectory } from './unit-directory.js';
import {
  LEVEL_LABELS,
  MAX_TREE_DEPTH,
  effectiveLevel,
  levelProblem,
  levelRank,
  type UnitLevel,
} from './unit-levels.js';

export interface ChangedBy {
  actor: string;
  actorName: string | null;
}

export interface UnitView {
  code: string;
  name: string;
  parentCode: string | null;
  level: UnitLevel | null;
  levelLabel: string | null;
}

export interface PersonView {
  id: string;
  name: string;
  unitCode: string;
  role: string;
  phone: string | null;
}

/** A reference to something that does not exist: 422, naming the field like the validation pipe does. */
export function unknownReference(field: string, message: string): DomainException {
  return new DomainException('UNKNOWN_REFERENCE', 422, `${field}：${message}`, { fields: [{ field, message }] });
}

@Injectable()
export class OrgService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: OrgRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A unit renamed or moved in the tree (never under itself or one of its own units), with its trail entry. */
  async updateUnit(code: string, dto: UpdateUnitDto, by: ChangedBy): Promise<UnitView> {
    if (dto.name === undefined && dto.parentCode === undefined && dto.level === undefined)
      throw new DomainException('VALIDATION', 422, '没有要修改的内容', { fields: [] });
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban.org-unit-tree'))`);
      const u = await this.repo.findUnit(code, m);
      if (!u) throw new DomainException('NOT_FOUND', 404, `没有编码为 ${code} 的单位`);
      const name = dto.name ?? u.name;
      const parentCode = dto.parentCode === undefined ? u.parent_code : dto.parentCode;
      const level = dto.level === undefined ? (u.level ?? null) : dto.level;
      if (name !== u.name) {
        const other = await this.repo.unitNamed(name, m);
        if (other && other !== code) throw conflict(`已有名为「${name}」的单位（${other}）`, { field: 'name' });
      }
      if (parentCode && parentCode !== u.parent_code) {
        if (!(await this.repo.findUnit(parentCode, m)))
          throw unknownReference('parentCode', `没有编码为 ${parentCode} 的单位`);
        if (parentCode === code || (await this.repo.ancestors(parentCode, m)).includes(code)) {
          throw unknownReference('parentCode', `${parentCode} 是 ${code} 自身或其下级单位，不能作为上级单位`);
        }
      }
      if (parentCode !== u.parent_code || level !== u.level) await this.checkPlace(code, level, parentCode, m);
      await this.repo.updateUnit(code, { name, parentCode, level }, m);
      await this.audit.record(
        {
          ...by,
          action: 'unit.updated',
          entityType: 'unit',
          entityId: code,
          before: { name: u.name, parentCode: u.parent_code, level: u.level },
          after: { name, parentCode, level },
        },
        m,
      );
      return unitView({ code, name, parent_code: parentCode, level, created_at: u.created_at });
    });
  }

  /** A person's fields corrected; a person whose unit account depends on the unit keeps it. */
  async updatePerson(
    id: string,
    dto: UpdatePersonDto,
    by: ChangedBy,
    within: string | null = null,
  ): Promise<PersonView> {
    if (!isUUID(id)) throw personNotFound(id);
    const keys = ['name', 'unitCode', 'role', 'phone'] as const;
    if (!keys.some((k) => dto[k] !== undefined))
      throw new DomainException('VALIDATION', 422, '没有要修改的内容', { fields: [] });
    return this.db.transaction(async (m) => {
      await m.query(`SELECT 1 FROM org_person WHERE id = $1 FOR UPDATE`, [id]);
      const p = await this.repo.findPerson(id, m);
      // Another subtree's person is, for an office of a lower level, no person at all.
      if (!p || (within && !(await this.subtreeCodes(within, m)).includes(p.unit_code))) throw personNotFound(id);
      if (dto.unitCode !== undefined) await this.checkWithin(dto.unitCode, within, m);
      const next = {
        name: dto.name ?? p.name,
        unitCode: dto.unitCode ?? p.unit_code,
        role: dto.role ?? p.role,
        phone: dto.phone === undefined ? p.phone : dto.phone,
      };
      if (next.unitCode !== p.unit_code) {
        if (!(await this.repo.findUnit(next.unitCode, m)))
          throw unknownReference('unitCode', `没有编码为 ${next.unitCode} 的单位`);
        const accounts = await this.repo.unitAccountsOfPerson(id, m);
        if (accounts.length) {
          throw new DomainException(
            'PERSON_HAS_ACCOUNT',
            409,
            `${p.name} 使用本单位的账号 ${accounts.join('、')}；请先在账号管理中调整账号，再调动人员`,
          );
        }
      }
      await this.repo.updatePerson(id, next, m);
      const before = { name: p.name, unitCode: p.unit_code, role: p.role, phone: p.phone };
      await this.audit.record(
        { ...by, action: 'person.updated', entityType: 'person', entityId: id, before, after: next },
        m,
      );
      return { id, ...next };
    });
  }

  async units(): Promise<UnitView[]> {
    return (await this.repo.allUnits()).map(unitView);
  }

  async createUnit(dto: CreateUnitDto): Promise<UnitView> {
    const parentCode = dto.parentCode ?? null;
    const level = dto.level ?? null;
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban.org-unit-tree'))`);
      if (parentCode && !(await this.repo.findUnit(parentCode, m)))
        throw unknownReference('parentCode', `没有编码为 ${parentCode} 的单位`);
      if (parentCode) await this.checkPlace(null, level, parentCode, m);
      const res = await this.repo.insertUnit(
        { code: dto.code, name: dto.name, parentCode, level },
        this.clock.date(),
        m,
      );
      if (res === 'code') throw conflict(`编码为 ${dto.code} 的单位已存在`, { field: 'code' });
      if (res === 'name') throw conflict(`名为 ${dto.name} 的单位已存在`, { field: 'name' });
      return unitView({
        code: dto.code,
        name: dto.name,
        parent_code: parentCode,
        level,
        created_at: this.clock.date(),
      });
    });
  }

  /**
   * A unit (`code`, or a new one) at `level` under `parentCode`: its level below its parent's, the levels of
   * its own units below its own, and the tree no deeper than MAX_TREE_DEPTH. 422 naming the field otherwise.
   */
  private async checkPlace(
    code: string | null,
    level: UnitLevel | null,
    parentCode: string | null,
    m: Queryable,
  ): Promise<void> {
    const above = parentCode ? await this.repo.levelChain(parentCode, m) : [];
    const wrong = levelProblem(level, effectiveLevel(above));
    if (wrong) throw unknownReference(level && parentCode ? 'level' : 'parentCode', wrong);
    const below = code ? (await this.repo.subtree(code, m)).filter((d) => d.depth > 0) : [];
    const acting = effectiveLevel([level, ...above]);
    const clash = acting && below.find((d) => d.level && levelRank(d.level) <= levelRank(acting));
    if (clash && acting) {
      throw unknownReference(
        'level',
        `下级单位 ${clash.code} 的层级（${LEVEL_LABELS[clash.level!]}）须低于本单位的层级（${LEVEL_LABELS[acting]}）`,
      );
    }
    const height = below.reduce((h, d) => Math.max(h, d.depth), 0);
    if (above.length + 1 + height > MAX_TREE_DEPTH) {
      throw unknownReference('parentCode', `单位树最多 ${MAX_TREE_DEPTH} 层，放在此处将超过层数`);
    }
  }

  /** The codes of `code` and every unit below it: what an office at `code` supervises. */
  async subtreeCodes(code: string, q?: Queryable): Promise<string[]> {
    return (await this.repo.subtree(code, q)).map((u) => u.code);
  }

  /** Is `code` strictly below `ancestor` in the tree? */
  async isBelow(code: string, ancestor: string, q?: Queryable): Promise<boolean> {
    return (await this.repo.ancestors(code, q)).includes(ancestor);
  }

  /** Persons of one unit, or of every unit; `within` (an office of a lower level's unit): of its subtree only. */
  async persons(unitCode?: string, within: string | null = null): Promise<PersonView[]> {
    const rows = await this.repo.personsOfUnit(unitCode ?? null);
    if (!within) return rows.map(personView);
    const mine = new Set(await this.subtreeCodes(within));
    return rows.filter((p) => mine.has(p.unit_code)).map(personView);
  }

  /** 分级督办: an office of a lower level keeps the persons of its own subtree's units only. */
  private async checkWithin(unitCode: string, within: string | null, q?: Queryable): Promise<void> {
    if (!within || (await this.subtreeCodes(within, q)).includes(unitCode)) return;
    const unit = await this.repo.findUnit(unitCode, q);
    throw unknownReference('unitCode', `${unit?.name ?? unitCode} 不在本办公室督办的范围内`);
  }

  async createPerson(dto: CreatePersonDto, within: string | null = null): Promise<PersonView> {
    if (!(await this.repo.findUnit(dto.unitCode)))
      throw unknownReference('unitCode', `没有编码为 ${dto.unitCode} 的单位`);
    await this.checkWithin(dto.unitCode, within);
    return personView(
      await this.repo.insertPerson(
        { name: dto.name, unitCode: dto.unitCode, role: dto.role, phone: dto.phone ?? null },
        this.clock.date(),
      ),
    );
  }

  /** Every unit, addressable by code or by name (imports use either). */
  async directory(): Promise<UnitDirectory> {
    return new UnitDirectory(await this.repo.allUnits());
  }
}

function personNotFound(id: string): DomainException {
  return new DomainException('NOT_FOUND', 404, `没有 id 为 ${id} 的人员`);
}

function unitView(u: UnitRow): UnitView {
  return {
    code: u.code,
    name: u.name,
    parentCode: u.parent_code,
    level: u.level ?? null,
    levelLabel: u.level ? LEVEL_LABELS[u.level] : null,
  };
}

function personView(p: PersonRow): PersonView {
  return { id: p.id, name: p.name, unitCode: p.unit_code, role: p.role, phone: p.phone };
}
