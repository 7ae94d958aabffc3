import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AppConfig } from '../config/app-config.js';
import { OrgModule } from '../org/org.module.js';
import { AccessResolvers } from './access-resolvers.js';
import { AccessGuard } from './access.guard.js';
import { AccountService } from './account.service.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { CallContextInterceptor } from './call-context.interceptor.js';
import { DemoAccounts } from './demo-accounts.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { RouteCheck } from './route-check.js';
import { JWT_SECRET, TokenService } from './token.service.js';

export const jwtSecretProvider = {
  provide: JWT_SECRET,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => resolveJwtSecret(config),
};

/** Accounts, sign-in, and the access rules every call passes (AccessGuard, global). */
@Global()
@Module({
  imports: [AuditModule, OrgModule],
  providers: [
    jwtSecretProvider,
    TokenService,
    AccountsRepository,
    LoginThrottleRepository,
    AccountService,
    AuthService,
    AccessResolvers,
    DemoAccounts,
    RouteCheck,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: CallContextInterceptor },
  ],
  controllers: [AuthController, AccountsController],
  exports: [AccountService, AuthService, TokenService, AccessResolvers],
})
export class AuthModule {}
