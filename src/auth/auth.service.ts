import { Inject, Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Background } from '../common/background';
import { findOrFail, FormInvalidError, LinkGoneError, NotFoundError, TooManyAttemptsError } from '../common/errors';
import { formatInstant } from '../common/time';
import { Database } from '../database/database.service';
import { EventsService } from '../events/events.service';
import { composeMail } from '../mail/compose';
import { OutboxService } from '../outbox/outbox.service';
import { RateLimitService, type Limit } from '../rate-limit/rate-limit.service';
import { type SessionUser, toSessionUser } from '../users/user.view';
import { normalizeEmail, UsersService } from '../users/users.service';
import { PasswordReset } from './password-reset.entity';
import { dummyVerify, hashPassword, passwordProblem, verifyPassword } from './passwords';
import { hashToken, looksLikeToken, newToken } from './tokens';

export const BAD_CREDENTIALS = 'The e-mail address or password is not correct.';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly limits: RateLimitService,
    private readonly outbox: OutboxService,
    private readonly background: Background,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks an e-mail and password. Unknown e-mail, wrong password and deactivated account get
   * the same answer in about the same time.
   *
   * Limits, counted *before* the password is verified (one atomic statement each), so parallel
   * guesses cannot overshoot them: failed attempts per account, and failed attempts per IP address.
   * A success gives its IP attempt back and clears the account's count, so a room of people behind
   * one address (a venue's NAT) signing in at once is not locked out by its own successes.
   */
  async verifyCredentials(emailInput: string, password: string, ip: string): Promise<SessionUser> {
    const email = normalizeEmail(emailInput ?? '');
    const byIp = this.limit(`sign-in:ip:${ip}`, this.config.rateLimit.signInPerIp);
    const byAccount = this.limit(`sign-in:account:${email}`, this.config.rateLimit.signInPerAccount);
    const ipAttempt = await this.limits.consume(byIp);
    if (ipAttempt.retryAfter > 0) throw new TooManyAttemptsError(ipAttempt.retryAfter);
    const accountAttempt = await this.limits.consume(byAccount);
    if (accountAttempt.retryAfter > 0) {
      await this.limits.refund(byIp.key); // nothing was verified: not a failure from this address
      throw new TooManyAttemptsError(accountAttempt.retryAfter);
    }

    const user = email ? await this.users.findByEmail(email) : null;
    const ok = user ? await verifyPassword(user.passwordHash, password ?? '') : await dummyVerify(password ?? '');
    if (!user || !ok || !user.active) {
      // Recorded for every kind of failure alike (same work, same time); only the account id, never what was typed.
      const reason = !user ? 'unknown_account' : !ok ? 'wrong_password' : 'inactive';
      await this.db.tx((em) =>
        this.events.record(em, { kind: 'user.sign_in_failed', actorId: null, subject: { type: 'user', id: user?.id ?? null }, payload: { reason } }),
      );
      throw new FormInvalidError({ _form: [BAD_CREDENTIALS] });
    }
    await this.limits.refund(byIp.key);
    await this.limits.clear(byAccount.key);
    await this.db.tx(async (em) => {
      await this.users.recordSignIn(user.id); // joins this transaction
      await this.events.record(em, { kind: 'user.signed_in', actorId: user.id, subject: { type: 'user', id: user.id }, payload: {} });
    });
    return toSessionUser(user);
  }

  /**
   * Signs out: `endSession` destroys the session row, and its writes join this transaction, so
   * the `user.signed_out` event and the ended session commit together (or neither does).
   */
  async signOut(userId: number | undefined, endSession: () => Promise<void>): Promise<void> {
    if (userId === undefined) return endSession();
    await this.db.tx(async (em) => {
      await this.events.record(em, { kind: 'user.signed_out', actorId: userId, subject: { type: 'user', id: userId }, payload: {} });
      await endSession();
    });
  }

  /** The user behind a session, or null when the account is gone or deactivated. */
  /** The person a session belongs to, while their account is active (read on every signed-in request). */
  sessionUser(id: number): Promise<SessionUser | null> {
    return this.users.sessionUser(id);
  }

  /**
   * Queues a reset link when the address belongs to an active account. The caller always shows the
   * same answer, and the answer waits for neither the look-up nor the writes: a background step
   * does both (the link and its e-mail in one transaction; the outbox worker sends it), and starts
   * only once `answered` resolves (the controller: when the response has gone out), so it cannot
   * hold up the answer by contending for the database either. Neither the answer's content nor its
   * timing tells whether the address has an account.
   */
  async requestReset(emailInput: string, ip: string, answered: Promise<void> = Promise.resolve()): Promise<void> {
    const byIp = this.limit(`reset:ip:${ip}`, 10);
    const attempt = await this.limits.consume(byIp);
    if (attempt.retryAfter > 0) throw new TooManyAttemptsError(attempt.retryAfter);
    this.background.run('password-reset mail', async () => {
      await answered;
      await this.queueResetLink(emailInput);
    });
  }

  private async queueResetLink(emailInput: string): Promise<void> {
    const user = await this.users.findByEmail(emailInput);
    if (!user || !user.active) return;
    const byAccount = this.limit(`reset:account:${user.id}`, 5);
    if ((await this.limits.consume(byAccount)).retryAfter > 0) return; // quietly: no mail storm to one inbox

    const { token, hash } = newToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.passwordResetTtlMinutes * 60_000);
    const link = `${this.config.publicBaseUrl}/password/reset/${token}`;
    await this.db.tx(async (em) => {
      // Only the newest link works.
      await em.getRepository(PasswordReset).update({ userId: user.id, usedAt: IsNull() }, { usedAt: now });
      await em
        .getRepository(PasswordReset)
        .save(em.getRepository(PasswordReset).create({ userId: user.id, tokenHash: hash, createdAt: now, expiresAt, usedAt: null }));
      const mail = composeMail({
        subject: 'Reset your Atelier password',
        lines: [
          `Hello ${user.name},`,
          'Someone (we hope you) asked to reset the password of your Atelier account. To choose a new password, open the link below.',
          `The link works once and expires at ${formatInstant(expiresAt, user.timeZone)}. If you did not ask for this, ignore this e-mail: your password stays as it is.`,
        ],
        action: { label: 'Choose a new password', url: link },
      });
      await this.outbox.enqueue(em, { kind: 'password_reset', to: user.email, userId: user.id, ...mail });
    });
  }

  /** A reset link that may still be used, with the account it is for (as the users module gives it). */
  async usableReset(token: string): Promise<{ reset: PasswordReset; user: SessionUser }> {
    const reset = findOrFail(
      looksLikeToken(token) ? await this.db.repo(PasswordReset).findOneBy({ tokenHash: hashToken(token) }) : null,
      'This password-reset link is not valid. Check that you copied the whole link, or ask for a new one.',
    );
    if (reset.usedAt)
      throw new LinkGoneError(
        'Link already used',
        'This password-reset link has already been used or replaced by a newer one. Ask for a new link if you still need it.',
      );
    if (reset.expiresAt <= new Date()) throw new LinkGoneError('Link expired', 'This password-reset link has expired. Ask for a new one.');
    const user = await this.sessionUser(reset.userId);
    if (!user) throw new NotFoundError('This password-reset link is not valid.');
    return { reset, user };
  }

  /** Sets the new password, uses up the link and ends every session of the account. */
  async resetPassword(token: string, password: string): Promise<void> {
    const { reset, user } = await this.usableReset(token);
    const problem = passwordProblem(password, { email: user.email, name: user.name });
    if (problem) throw FormInvalidError.field('password', problem);
    const passwordHash = await hashPassword(password);
    await this.db.tx(async (em) => {
      const r = await em.getRepository(PasswordReset).update({ id: reset.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (r.affected !== 1)
        throw new LinkGoneError(
          'Link already used',
          'This password-reset link has just been used, perhaps in another tab. Ask for a new link if you still need it.',
        );
      await this.users.setPasswordHash(reset.userId, passwordHash); // joins this transaction
    });
  }

  /** Changes the password of a signed-in person; other sessions of theirs end. */
  async changePassword(user: SessionUser, current: string, next: string, sid: string): Promise<void> {
    const account = await this.users.findById(user.id);
    if (!account || !(await verifyPassword(account.passwordHash, current ?? ''))) {
      throw FormInvalidError.field('currentPassword', 'Your current password is not correct.');
    }
    const problem = passwordProblem(next, { email: account.email, name: account.name });
    if (problem) throw FormInvalidError.field('newPassword', problem);
    await this.users.setPasswordHash(user.id, await hashPassword(next), sid);
  }

  private limit(key: string, max: number): Limit {
    return { key, max, windowMs: this.config.rateLimit.windowMinutes * 60_000 };
  }
}
