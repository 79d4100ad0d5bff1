import { hashPassword } from '../auth/passwords';
import type { Database } from '../database/database.service';
import { type SiteRole, User } from '../users/user.entity';
import { DEMO_TEAM_PEOPLE, seedDemoCourses } from './demo-courses';
import { DEMO_EXPERTS, seedDemoMeetings } from './demo-meetings';

/** The shared password of every demo account (documented in README; never seeded in production by default). */
export const DEMO_PASSWORD = 'lifelong-learning-demo';

export const DEMO_ACCOUNTS: readonly { email: string; name: string; role: SiteRole; timeZone: string; language: string }[] = [
  { email: 'admin@atelier.example', name: 'Mariam Okafor', role: 'admin', timeZone: 'Europe/Berlin', language: 'en' },
  { email: 'facilitator@atelier.example', name: 'Chen Jing', role: 'facilitator', timeZone: 'Asia/Shanghai', language: 'zh' },
  { email: 'expert@atelier.example', name: 'Raúl Valdés', role: 'expert', timeZone: 'America/Mexico_City', language: 'es' },
  { email: 'participant@atelier.example', name: 'Nguyen Thi Lan', role: 'participant', timeZone: 'Asia/Ho_Chi_Minh', language: 'en' },
];

/**
 * Creates the demo accounts, the two demo workshops and the demo meetings that do not exist yet
 * (idempotent: running it twice changes nothing). Returns how many accounts it created.
 */
export async function seedDemo(db: Database, now = new Date()): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.tx(async (em) => {
    let created = 0;
    const people = [
      ...DEMO_ACCOUNTS,
      ...DEMO_TEAM_PEOPLE.map((p) => ({ ...p, role: 'participant' as const, language: 'en' })),
      ...DEMO_EXPERTS.map((x) => ({ email: x.email, name: x.name, timeZone: x.timeZone, role: 'expert' as const, language: 'en' })),
    ];
    for (const a of people) {
      if (await em.getRepository(User).existsBy({ email: a.email })) continue;
      await em
        .getRepository(User)
        .save(em.getRepository(User).create({ ...a, passwordHash, active: true, createdAt: now, updatedAt: now, lastSignInAt: null, deactivatedAt: null }));
      created++;
    }
    await seedDemoCourses(em, now);
    await seedDemoMeetings(em, now);
    return created;
  });
}

/** Seeds only a database that has no people yet (the first start). */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  if ((await db.repo(User).count()) > 0) return false;
  await seedDemo(db);
  return true;
}
