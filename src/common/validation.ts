import { HttpException, UnprocessableEntityException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { bodyProblem } from './request-hygiene.js';

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
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
      return new UnprocessableEntityException({ statusCode: 422, error: 'VALIDATION', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields });
    },
  });
}
