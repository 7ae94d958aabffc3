import { HttpException, PayloadTooLargeException } from '@nestjs/common';
import { DomainException } from '../common/domain-exception.js';

/** An error as Camunda 7's REST API answers it: an HTTP status and a `{type, message}` body. */
export class CamundaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string) => new CamundaError(400, 'InvalidRequestException', message);
export const restNotFound = (message: string) => new CamundaError(404, 'InvalidRequestException', message);
export const badUserRequest = (message: string) => new CamundaError(400, 'BadUserRequestException', message);

/** Domain codes of the engine as Camunda exception types; anything unlisted keeps its status. */
export function fromDomain(e: DomainException): CamundaError {
  const details = { ...(e.details ?? {}) };
  switch (e.code) {
    case 'NOT_FOUND':
      return new CamundaError(404, 'InvalidRequestException', e.message);
    case 'BAD_REQUEST':
    case 'VALIDATION':
      return new CamundaError(400, 'InvalidRequestException', e.message, details);
    case 'TASK_GONE':
      return new CamundaError(404, 'InvalidRequestException', e.message);
    case 'TASK_CLAIMED':
      return new CamundaError(409, 'TaskAlreadyClaimedException', e.message);
    case 'NO_CORRELATION':
      return new CamundaError(400, 'MismatchingMessageCorrelationException', e.message);
    case 'CONFLICT':
      return new CamundaError(409, 'OptimisticLockingException', e.message);
    case 'ENGINE_ERROR':
    case 'INCIDENT':
      return new CamundaError(e.status, 'ProcessEngineException', e.message, details);
    default:
      return new CamundaError(
        e.status,
        e.status >= 500 ? 'ProcessEngineException' : 'InvalidRequestException',
        e.message,
        details,
      );
  }
}

/** Maps whatever a handler threw to a Camunda error; null when it is not an expected one (a 500). */
export function toCamundaError(err: unknown, maxBpmnBytes: number): CamundaError | null {
  if (err instanceof CamundaError) return err;
  if (err instanceof DomainException) return fromDomain(err);
  if (err instanceof PayloadTooLargeException) {
    return invalidRequest(`a deployment file is over the limit of ${maxBpmnBytes} bytes (DUBAN_MAX_BPMN_BYTES)`);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : (flattenMessage((response as { message?: unknown }).message) ?? err.message);
    // The global validation pipe answers 422; Camunda answers 400 for any unusable request.
    if (status === 422 || status === 400) return invalidRequest(message);
    return new CamundaError(
      status,
      status >= 500 ? 'ProcessEngineException' : status === 404 ? 'InvalidRequestException' : 'RestException',
      message,
    );
  }
  return null;
}

function flattenMessage(m: unknown): string | undefined {
  if (Array.isArray(m)) return m.join('; ');
  return typeof m === 'string' ? m : undefined;
}
