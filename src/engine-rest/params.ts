import { createParamDecorator, type ExecutionContext, type ValidationError } from '@nestjs/common';
import { HygienicValidationPipe } from '../common/validation.js';
import { invalidRequest } from './camunda-error.js';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    // A parameter this subset does not implement is refused by name, never ignored into a wider result.
    if (e.constraints?.whitelistValidation)
      return [`Parameter '${field}' is not supported by this engine (未支持的参数)`];
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${prefix ? `${prefix}.` : ''}${m}` : `${field}: ${m}`,
    );
    return own.concat(flatten(e.children ?? [], field));
  });
}

/**
 * The validation of /engine-rest bodies and queries: class-validator DTOs as everywhere, but a bad field is
 * Camunda's 400 InvalidRequestException. A field the DTO does not declare is a 400 naming it: a filter this
 * subset does not implement must never be dropped into a wider result.
 */
export const camundaValidationPipe = new HygienicValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validateCustomDecorators: true,
  exceptionFactory: (errors) => invalidRequest(flatten(errors).join('; ')),
});

const BodyParam = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const body = ctx.switchToHttp().getRequest().body;
  return body && typeof body === 'object' && !Array.isArray(body) ? body : {};
});
const QueryParam = createParamDecorator((_: unknown, ctx: ExecutionContext) => ({
  ...(ctx.switchToHttp().getRequest().query ?? {}),
}));

/** The request body as a DTO, validated the Camunda way (the global 422 pipe skips custom decorators). */
export const RestBody = (): ParameterDecorator => BodyParam(undefined, camundaValidationPipe);
/** The query string as a DTO, validated the Camunda way. */
export const RestQuery = (): ParameterDecorator => QueryParam(undefined, camundaValidationPipe);
