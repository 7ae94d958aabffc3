import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { OrgRepository } from '../org/org.repository.js';
import { OrgService } from '../org/org.service.js';
import { AccountService } from './account.service.js';
import { AccountsRepository } from './accounts.repository.js';
import type { Role } from './auth-user.js';
import { randomPassword } from './password-hasher.js';

/**
 * First start of the embedded default (never with DATABASE_URL, never in tests): one account per role with
 * a random password, printed once. The unit account belongs to the first department; with no units yet,
 * 市生态环境局 (HBJ) under the city (CITY) is created for it.
 */
@Injectable()
export class DemoAccounts implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly service: AccountService,
    private readonly org: OrgService,
    private readonly orgRepo: OrgRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.embedded || this.config.NODE_ENV === 'test') return;
    await this.createIfNone((text) => process.stdout.write(text));
  }

  /** Creates them when there is no account at all; answers what it created. */
  async createIfNone(
    print: (text: string) => void,
  ): Promise<{ username: string; password: string; role: Role; unitCode: string | null }[]> {
    if ((await this.accounts.count()) > 0) return [];
    const unitCode = await this.demoUnit();
    const offices = await this.levelOffices();
    const roles: [string, Role, string | null][] = [
      ['admin', 'admin', null],
      ['office', 'office', offices.city],
      ...(offices.province ? [['office-province', 'office', offices.province] as [string, Role, string]] : []),
      ['leader', 'leader', null],
      ['inspector', 'inspector', null],
      [`unit-${unitCode.toLowerCase()}`, 'unit', unitCode],
    ];
    const created = [];
    for (const [username, role, unit] of roles) {
      const password = randomPassword();
      await this.service.create(
        { username, password, role, unitCode: unit ?? undefined },
        { actor: 'system', actorName: 'first start' },
      );
      created.push({ username, password, role, unitCode: unit });
    }
    const rows = created.map(
      (c) => `  ${c.username.padEnd(14)} ${c.password}   (${c.role}${c.unitCode ? `, unit ${c.unitCode}` : ''})`,
    );
    print(
      [
        '',
        '==================== demo accounts (shown once; not stored in clear) ====================',
        ...rows,
        '  sign in: POST /api/auth/login {"username", "password"}; more accounts: npm run cli -- user:create',
        '='.repeat(88),
        '',
      ].join('\n') + '\n',
    );
    return created;
  }

  /**
   * 分级督办: where the units form levels under a province (the demo's 湖北省整改办 → 天门市), the province's office
   * account and the city's, each scoped to its subtree; with a single level, the one office sees everything.
   */
  private async levelOffices(): Promise<{ province: string | null; city: string | null }> {
    const units = await this.orgRepo.allUnits();
    const province = units.find((u) => u.level === 'province' && u.parent_code === null);
    if (!province) return { province: null, city: null };
    const city = units.find((u) => u.level === 'city' && u.parent_code === province.code);
    return { province: province.code, city: city?.code ?? null };
  }

  private async demoUnit(): Promise<string> {
    const units = await this.orgRepo.allUnits();
    // The environment bureau leads most of an environmental inspection's problems: its handler is the demo's unit.
    const department = units.find((u) => u.code === 'HBJ') ?? units.find((u) => u.parent_code !== null) ?? units[0];
    if (department) return department.code;
    await this.org.createUnit({ code: 'CITY', name: '市人民政府' });
    await this.org.createUnit({ code: 'HBJ', name: '市生态环境局', parentCode: 'CITY' });
    return 'HBJ';
  }
}
