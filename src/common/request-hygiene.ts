import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The deepest nesting a JSON body may have; no request of this service comes near it. */
export const MAX_JSON_DEPTH = 64;

const NUL = '\u0000';

/**
 * Why a URL cannot be served, or null. A NUL character (`%00`) is refused wherever it is, path or query:
 * PostgreSQL cannot hold it in text, so a filter or an id carrying one would otherwise fail in the query.
 */
export function urlProblem(url: string): string | null {
  return /%00/i.test(url) ? '网址中含有空字符（%00），任何编号或筛选条件都不能包含' : null;
}

/**
 * Why a parsed request body cannot be taken, or null: nested deeper than MAX_JSON_DEPTH (the validation and
 * transformation of bodies recurse, and such a body would exhaust the stack), or a NUL character in a key
 * or a string. Walks the value without recursion, so any depth is measured safely.
 */
export function bodyProblem(body: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  if (body === null || typeof body !== 'object')
    return typeof body === 'string' && body.includes(NUL) ? nulMessage() : null;
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (depth > maxDepth) return `请求内容嵌套超过 ${maxDepth} 层`;
    for (const [key, child] of Object.entries(value as object)) {
      if (key.includes(NUL)) return nulMessage();
      if (typeof child === 'string') {
        if (child.includes(NUL)) return nulMessage();
      } else if (child !== null && typeof child === 'object' && !ArrayBuffer.isView(child)) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

function nulMessage(): string {
  return '请求内容中含有空字符（\\u0000），任何字段都不能包含';
}

/**
 * Express middleware after the body parsers: a URL or a JSON/form body the service could not process
 * safely is a 400 naming why, before any guard or handler sees it.
 */
export function refuseUnprocessableInput(req: Request, _res: Response, next: NextFunction): void {
  const problem = urlProblem(req.originalUrl ?? req.url) ?? bodyProblem(req.body);
  if (!problem) return next();
  next(new HttpException({ statusCode: 400, error: 'BAD_REQUEST', message: problem }, 400));
}
