import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export const ROLES = ['admin', 'office', 'leader', 'inspector', 'unit'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: set on the request by the authentication guard for every signed-in call. */
export interface AuthUser {
  accountId: string;
  username: string;
  role: Role;
  personId: string | null;
  personName: string | null;
  /** The unit of a `unit` account (its handler or head); null for the office, leaders, inspectors, admin. */
  unitCode: string | null;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser | undefined => ctx.switchToHttp().getRequest().user,
);
