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
        ? {
            type:
              exception.code === 'NOT_FOUND'
                ? 'InvalidRequestException'
                : exception.code === 'CONFLICT'
                  ? 'OptimisticLockingException'
                  : 'InvalidRequestException',
            message: exception.message,
            code: exception.code,
            ...exception.details,
          }
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
      const raw =
        typeof response === 'string'
          ? { statusCode: status, message: response }
          : (response as Record<string, unknown>);
      const body = camunda ? raw : { ...raw, message: chineseHttpMessage(status, raw.message) };
      res
        .status(status)
        .json(
          camunda ? { type: 'InvalidRequestException', message: (body as any).message, ...(body as object) } : body,
        );
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({ statusCode: 503, error: 'UNAVAILABLE', message: '数据库暂时不可用，请稍后重试' });
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(500).json({ statusCode: 500, error: 'INTERNAL', message: '服务器内部错误，请稍后重试或联系管理员' });
  }
}

const HAN = /[\u4e00-\u9fff]/;
/** Nest's and the body parser's own refusals (an unknown route, unreadable JSON, a body too large) in Chinese. */
const BY_STATUS: Record<number, string> = {
  400: '请求格式不对（如 JSON 无法解析）',
  401: '请先登录',
  403: '当前账号无权进行此操作',
  404: '未找到请求的地址或资源',
  405: '不支持此请求方法',
  406: '无法提供所要求的格式',
  408: '请求超时',
  409: '与当前状态冲突',
  413: '请求内容过大',
  415: '不支持的内容类型',
  422: '请求内容不符合要求',
  429: '请求过于频繁，请稍后再试',
};

function chineseHttpMessage(status: number, message: unknown): unknown {
  if (Array.isArray(message) || (typeof message === 'string' && HAN.test(message))) return message;
  return BY_STATUS[status] ?? (status >= 500 ? '服务器内部错误，请稍后重试或联系管理员' : '请求未被接受');
}
