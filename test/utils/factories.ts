import { hashPassword } from '../../src/auth/passwords';
import type { Database } from '../../src/database/database.service';
import { type SiteRole, User } from '../../src/users/user.entity';
import { type Agent, submitForm } from './http';

export const TEST_PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;
let seq = 0;

/** A person with an account (active unless said otherwise). */
export async function createUser(db: Database, over: Partial<User> & { role?: SiteRole } = {}): Promise<User> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const n = ++seq;
  const now = new Date();
  const passwordHash = over.passwordHash ?? (await hashed);
  return db.tx((em) =>
    em.getRepository(User).save(
      em.getRepository(User).create({
        email: `person${n}-${Math.random().toString(36).slice(2, 7)}@example.org`,
        name: `Person ${n}`,
        timeZone: 'Africa/Nairobi',
        language: 'en',
        role: 'participant',
        active: true,
        createdAt: now,
        updatedAt: now,
        lastSignInAt: null,
        deactivatedAt: null,
        ...over,
        passwordHash,
      }),
    ),
  );
}

export async function signIn(a: Agent, email: string, password = TEST_PASSWORD) {
  const res = await submitForm(a, '/sign-in', '/sign-in', { email, password });
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return res;
}
