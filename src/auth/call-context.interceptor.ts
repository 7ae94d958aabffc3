import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { AuthUser } from './auth-user.js';
import { runInCallContext, stepAuditSlot } from './call-context.js';

/** Runs each handler (and the engine steps it causes) in a call context naming the signed-in caller. */
@Injectable()
export class CallContextInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
    const user = req.user;
    const stepAudit = stepAuditSlot(req);
    return new Observable((subscriber) =>
      runInCallContext({ kind: 'request', user, stepAudit }, () => next.handle().subscribe(subscriber)),
    );
  }
}
