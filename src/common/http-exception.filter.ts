import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { DomainException } from './domain-exception.js';

/** Maps domain codes to HTTP at the edge; anything unknown is logged and answered as a plain 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<{ url: string }>();
    if (res.headersSent) return;
    const camunda = req.url?.startsWith('/engine-rest');
    if (exception instanceof DomainException) {
      const body = camunda
        ? { type: exception.code === 'NOT_FOUND' ? 'InvalidRequestException' : exception.code === 'CONFLICT' ? 'OptimisticLockingException' : 'InvalidRequestException', message: exception.message, code: exception.code, ...exception.details }
        : { statusCode: exception.status, error: exception.code, message: exception.message, ...exception.details };
      // A refusal that says how long to wait (a locked sign-in, a rate limit) says it in the header clients read too.
      const wait = exception.details?.retryAfterSeconds;
      if (typeof wait === 'number' && wait > 0) res.setHeader('Retry-After', String(Math.ceil(wait)));
      res.status(exception.status).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { statusCode: status, message: response } : response;
      res.status(status).json(camunda ? { type: 'InvalidRequestException', message: (body as any).message, ...(body as object) } : body);
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({ statusCode: 503, error: 'UNAVAILABLE', message: 'the database is unavailable; retry shortly' });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    res.status(500).json({ statusCode: 500, error: 'INTERNAL', message: 'internal error' });
  }
}
