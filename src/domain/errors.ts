/** Domain errors carry a code, an HTTP status and a French message a person can read. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Also used for "exists but not yours": both answer the same 404. */
export class NotFoundError extends DomainError {
  constructor(message = 'La page demandée n’existe pas.') {
    super('not_found', 404, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Vous n’avez pas accès à cette page.') {
    super('forbidden', 403, message);
  }
}

export class TransitionError extends DomainError {
  constructor(message: string) {
    super('forbidden_transition', 409, message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

/** Field errors keyed by form field name, shown next to each field. */
export class ValidationError extends DomainError {
  constructor(readonly fields: Record<string, string>) {
    super('validation', 422, 'Le formulaire contient des erreurs.');
  }
}
