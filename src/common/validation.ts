import { UnprocessableEntityException, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

/** One pipe for every body and query: unknown fields refused, a bad field named, 422 for content errors. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new UnprocessableEntityException({ statusCode: 422, error: 'VALIDATION', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields });
    },
  });
}
