import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { AuthUser } from './auth-user.js';
import { runInCallContext } from './call-context.js';

/** Runs each handler (and the engine steps it causes) in a call context naming the signed-in caller. */
@Injectable()
export class CallContextInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    return new Observable((subscriber) =>
      runInCallContext({ kind: 'request', user }, () => next.handle().subscribe(subscriber)),
    );
  }
}
