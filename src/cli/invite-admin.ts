import { hashToken, newToken } from '../auth/tokens';
import { Invitation } from '../invitations/invitation.entity';
import { User } from '../users/user.entity';
import { normalizeEmail } from '../users/users.service';
import { withDatabase } from './run';

/**
 * npm run invite-admin -- someone@example.org
 * Creates an administrator invitation and prints its link: how the first administrator of a
 * production installation (no demo data) gets in. The link is printed, not mailed.
 */
const email = normalizeEmail(process.argv[2] ?? '');
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
  process.stderr.write('Usage: npm run invite-admin -- name@example.org\n');
  process.exit(64);
}
withDatabase(async (db, config) => {
  if (await db.repo(User).existsBy({ email })) {
    process.stderr.write(`${email} already has an account.\n`);
    process.exitCode = 1;
    return;
  }
  const { token } = newToken();
  const now = new Date();
  await db.tx((em) =>
    em.getRepository(Invitation).save(
      em.getRepository(Invitation).create({
        email,
        role: 'admin',
        tokenHash: hashToken(token),
        message: null,
        invitedById: null,
        createdAt: now,
        lastSentAt: now,
        expiresAt: new Date(now.getTime() + config.invitationTtlDays * 86_400_000),
        sendCount: 0,
        acceptedAt: null,
        acceptedUserId: null,
        revokedAt: null,
      }),
    ),
  );
  process.stdout.write(`Administrator invitation for ${email} (valid ${config.invitationTtlDays} days):\n${config.publicBaseUrl}/invite/${token}\n`);
}).catch((err) => {
  process.stderr.write(`Could not create the invitation: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
