import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { DomainException, conflict } from '../common/domain-exception.js';
import type { CreatePersonDto } from './dto/create-person.dto.js';
import type { CreateUnitDto } from './dto/create-unit.dto.js';
import { OrgRepository, type PersonRow, type UnitRow } from './org.repository.js';
import { UnitDirectory } from './unit-directory.js';

export interface UnitView {
  code: string;
  name: string;
  parentCode: string | null;
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
    private readonly repo: OrgRepository,
    private readonly clock: Clock,
  ) {}

  async units(): Promise<UnitView[]> {
    return (await this.repo.allUnits()).map(unitView);
  }

  async createUnit(dto: CreateUnitDto): Promise<UnitView> {
    const parentCode = dto.parentCode ?? null;
    if (parentCode && !(await this.repo.findUnit(parentCode))) throw unknownReference('parentCode', `没有编码为 ${parentCode} 的单位`);
    const res = await this.repo.insertUnit({ code: dto.code, name: dto.name, parentCode }, this.clock.date());
    if (res === 'code') throw conflict(`编码为 ${dto.code} 的单位已存在`, { field: 'code' });
    if (res === 'name') throw conflict(`名为 ${dto.name} 的单位已存在`, { field: 'name' });
    return { code: dto.code, name: dto.name, parentCode };
  }

  async persons(unitCode?: string): Promise<PersonView[]> {
    return (await this.repo.personsOfUnit(unitCode ?? null)).map(personView);
  }

  async createPerson(dto: CreatePersonDto): Promise<PersonView> {
    if (!(await this.repo.findUnit(dto.unitCode))) throw unknownReference('unitCode', `没有编码为 ${dto.unitCode} 的单位`);
    return personView(await this.repo.insertPerson({ name: dto.name, unitCode: dto.unitCode, role: dto.role, phone: dto.phone ?? null }, this.clock.date()));
  }

  /** Every unit, addressable by code or by name (imports use either). */
  async directory(): Promise<UnitDirectory> {
    return new UnitDirectory(await this.repo.allUnits());
  }
}

function unitView(u: UnitRow): UnitView {
  return { code: u.code, name: u.name, parentCode: u.parent_code };
}

function personView(p: PersonRow): PersonView {
  return { id: p.id, name: p.name, unitCode: p.unit_code, role: p.role, phone: p.phone };
}
