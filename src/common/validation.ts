import {
  HttpException,
  UnprocessableEntityException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { bodyProblem } from './request-hygiene.js';

const HAN = /[\u4e00-\u9fff]/;
const num = (message: string, i = 0) => (message.match(/-?\d+(?:\.\d+)?/g) ?? [])[i] ?? '';

/** class-validator's English, by constraint, in Chinese: what a user reads (the API keeps the field and the code). */
const CHINESE: Record<string, (message: string) => string> = {
  isString: () => '应为文本',
  isBoolean: () => '应为 true 或 false',
  isInt: () => '应为整数',
  isNumber: () => '应为数字',
  min: (m) => `不能小于 ${num(m)}`,
  max: (m) => `不能大于 ${num(m)}`,
  maxLength: (m) => `不能超过 ${num(m)} 个字符`,
  minLength: (m) => `至少 ${num(m)} 个字符`,
  // One bound broken at a time: "shorter than or equal to N" (too long) or "longer than or equal to N" (too short).
  isLength: (m) =>
    /shorter/.test(m) && !/longer/.test(m)
      ? `不能超过 ${num(m)} 个字符`
      : /longer/.test(m) && !/shorter/.test(m)
        ? `至少 ${num(m)} 个字符`
        : `长度应在 ${num(m)} 到 ${num(m, 1)} 个字符之间`,
  isArray: () => '应为列表',
  isIn: (m) => `应为以下之一：${m.replace(/^.*following values:\s*/, '')}`,
  isNotEmpty: () => '不能为空',
  isObject: () => '应为对象',
  arrayMaxSize: (m) => `最多 ${num(m)} 项`,
  arrayMinSize: (m) => `至少 ${num(m)} 项`,
  isUuid: () => '应为 UUID',
  isDateString: () => '应为 ISO 8601 日期时间',
  isEnum: (m) => `应为以下之一：${m.replace(/^.*following values:\s*/, '')}`,
  whitelistValidation: () => '不允许的字段',
  nestedValidation: () => '应为对象或对象的列表',
  matches: () => '格式不对',
};

export function chineseConstraint(key: string, message: string): string {
  if (HAN.test(message)) return message;
  return (CHINESE[key] ?? (() => '不符合要求'))(message);
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([key, message]) => ({
      field,
      message: chineseConstraint(key, message),
    }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

/**
 * A ValidationPipe that first refuses what no field may hold (a NUL character, absurd nesting) with 400, as the
 * request middleware does for URLs and JSON bodies: multipart fields are parsed later, inside the route.
 */
export class HygienicValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom decorators (the signed-in user, …) only where the pipe validates them at all.
    const problem = metadata.type === 'custom' && !this.validateCustomDecorators ? null : bodyProblem(value);
    if (problem) throw new HttpException({ statusCode: 400, error: 'BAD_REQUEST', message: problem }, 400);
    return super.transform(value, metadata);
  }
}

/** One pipe for every body and query: unknown fields refused, a bad field named, 422 for content errors. */
export function validationPipe(): ValidationPipe {
  return new HygienicValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new UnprocessableEntityException({
        statusCode: 422,
        error: 'VALIDATION',
        message: fields.map((f) => `${f.field}：${f.message}`).join('；'),
        fields,
      });
    },
  });
}
