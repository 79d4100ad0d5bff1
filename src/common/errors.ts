/**
 * Domain errors: small classes that services throw and AppExceptionFilter turns into pages
 * (or JSON). Anything else that escapes a handler is a logged 500 without details.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'The page you asked for does not exist, or you do not have access to it.') {
    super(404, 'Page not found', message);
  }
}

/** A link whose token has expired, been used or been revoked. */
export class LinkGoneError extends DomainError {
  constructor(title: string, message: string) {
    super(410, title, message);
  }
}

/** The route needs a signed-in person and there is none: HTML requests go to the sign-in page. */
export class SignInRequiredError extends Error {
  constructor(readonly reason: 'required' | 'expired' = 'required') {
    super('Sign-in required');
  }
}

export class TooManyAttemptsError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'Too many attempts', `Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s) and try again.`);
  }
}

/**
 * A form that cannot be accepted as sent: messages keyed by field name ('_form' for the form as
 * a whole). The filter re-renders the form's template (see @FormView) with 422.
 */
export class FormInvalidError extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super('The form has errors');
  }

  static field(name: string, message: string): FormInvalidError {
    return new FormInvalidError({ [name]: [message] });
  }
}

/** Someone saved the same record after this person opened the form (optimistic locking): 409. */
export class EditConflictError extends DomainError {
  constructor(what: string) {
    super(
      409,
      'Changed by someone else',
      `Someone saved changes to this ${what} after you opened it, so your changes were not applied. Reload the page to see the current version, then make your changes again.`,
    );
  }
}

/**
 * The one way to say "no such row here": `findOrFail(await repo.findOneBy(...))` instead of an
 * `if (!x) throw new NotFoundError()` at every look-up.
 */
export function findOrFail<T>(row: T | null | undefined, message?: string): T {
  if (row === null || row === undefined) throw new NotFoundError(message);
  return row;
}
