import { FormInvalidError, LinkGoneError } from '../common/errors';
import { formatInstant } from '../common/time';

/** The link of an invitation that has already been accepted: 410. */
export class InvitationAlreadyAcceptedError extends LinkGoneError {
  constructor() {
    super(
      'Invitation already used',
      'This invitation has already been accepted. Sign in with the e-mail address and the password you chose, or reset your password.',
    );
  }
}

export class InvitationWithdrawnError extends LinkGoneError {
  constructor() {
    super('Invitation withdrawn', 'This invitation was withdrawn. If you think this is a mistake, contact the person who invited you.');
  }
}

export class InvitationExpiredError extends LinkGoneError {
  constructor(expiresAt: Date) {
    super('Invitation expired', `This invitation expired on ${formatInstant(expiresAt, 'UTC')}. Ask the person who invited you to send it again.`);
  }
}

/** Accepting an invitation for an address that has an account by now (another tab, another invitation): 410. */
export class AccountAlreadyExistsError extends LinkGoneError {
  constructor() {
    super('Account already exists', 'An account with this e-mail address already exists. Sign in instead, or reset your password.');
  }
}

/** Withdrawing an invitation that has already been accepted: the form again, 422. */
export class InvitationAcceptedCannotBeWithdrawnError extends FormInvalidError {
  constructor() {
    super({ _form: ['This invitation has already been accepted; deactivate the account instead.'] });
  }
}

/** Resending an invitation that was accepted or withdrawn: the form again, 422. */
export class InvitationClosedError extends FormInvalidError {
  constructor(status: 'accepted' | 'revoked') {
    super({ _form: [`This invitation was ${status} and cannot be sent again.`] });
  }
}
