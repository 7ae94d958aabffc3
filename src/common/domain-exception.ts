/** A refusal the caller can act on: a stable string code, an HTTP status, a message, optional details. */
export class DomainException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new DomainException('NOT_FOUND', 404, `${what} ${id} not found`);
export const badRequest = (message: string, details?: Record<string, unknown>) => new DomainException('BAD_REQUEST', 400, message, details);
export const conflict = (message: string, details?: Record<string, unknown>) => new DomainException('CONFLICT', 409, message, details);
