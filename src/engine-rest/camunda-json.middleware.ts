import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Camunda answers `Content-Type: application/json` without a charset, and camunda-external-task-client-js
 * parses a body as JSON only when the header is exactly that. Express always appends `; charset=utf-8`.
 */
@Injectable()
export class CamundaJsonMiddleware implements NestMiddleware {
  use(_req: Request, res: Response, next: NextFunction): void {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) => {
      if (
        typeof value === 'string' &&
        name.toLowerCase() === 'content-type' &&
        /^application\/json\s*(;|$)/i.test(value)
      )
        value = 'application/json';
      return setHeader(name, value);
    }) as typeof res.setHeader;
    next();
  }
}
