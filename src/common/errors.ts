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

/**
 * The database could not be reached in time (SQLite write lock held elsewhere, PostgreSQL down
 * or out of connections): 503 with Retry-After, never a hang or a 500.
 */
export class DatabaseUnavailableError extends DomainError {
  readonly retryAfterSeconds = 5;
  constructor(readonly reason: string = 'database unavailable') {
    super(
      503,
      'Atelier is busy',
      'Atelier could not reach its database just now, so your request could not be completed. Please try again in a minute.',
    );
  }
}
