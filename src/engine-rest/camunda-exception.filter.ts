import { ArgumentsHost, Catch, Injectable, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../common/database-unavailable.js';
import { AppConfig } from '../config/app-config.js';
import { toCamundaError } from './camunda-error.js';

/**
 * Errors of /engine-rest as Camunda 7 answers them: `{type, message}` with Camunda's status codes
 * (400 for any unusable request, validation included, never the 422 of the rest of the service).
 */
@Catch()
@Injectable()
export class CamundaExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('engine-rest');

  constructor(private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const mapped = toCamundaError(exception, this.config.DUBAN_MAX_BPMN_BYTES);
    if (mapped) {
      res.status(mapped.status).json({ type: mapped.type, message: mapped.message, ...mapped.extra });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({ type: 'ProcessEngineException', message: 'the database is unavailable; retry shortly' });
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(500).json({ type: 'ProcessEngineException', message: 'internal error' });
  }
}
