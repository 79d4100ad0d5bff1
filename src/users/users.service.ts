import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager } from 'typeorm';
import { findOrFail, FormInvalidError } from '../common/errors';
import { holdsCourseRole } from '../common/permissions';
import { COURSE_ROLES, type CourseRole } from '../common/roles';
import { Database } from '../database/database.service';
import { rawBool } from '../database/raw-values';
import { EventsService } from '../events/events.service';
import { DbSessionStore } from '../sessions/db-session.store';
import { CourseRoleCounts } from './course-roles.port';
import { type SiteRole, User } from './user.entity';
import { type SessionUser, toUserRow, type UserRowView } from './user.view';

export const USERS_PAGE_SIZE = 25;

/** A person as other modules show them. */
export interface PersonView {
  id: number;
  name: string;
  email: string;
  active: boolean;
  timeZone: string;
  role: SiteRole;
}

export interface UserQuery {
  q?: string;
  role?: SiteRole;
  status?: 'active' | 'inactive';
  page?: number;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly sessions: DbSessionStore,
    private readonly courseRoles: CourseRoleCounts,
    private readonly events: EventsService,
  ) {}

  findByEmail(email: string): Promise<User | null> {
    return this.db.repo(User).findOneBy({ email: normalizeEmail(email) });
  }

  findById(id: number): Promise<User | null> {
    return this.db.repo(User).findOneBy({ id });
  }

  /**
   * The signed-in person as every request carries them (req.user), or null when the account is gone
   * or deactivated: read on every signed-in request, so a hand-written read of the shown columns.
   */
  async sessionUser(id: number): Promise<SessionUser | null> {
    if (!Number.isSafeInteger(id)) return null;
    const [u] = await this.db.rows<SessionUser & { active: boolean | number }>`
      SELECT id, email, name, role, time_zone AS "timeZone", language, active FROM users WHERE id = ${id}`;
    return u && rawBool(u.active) ? { id: Number(u.id), email: u.email, name: u.name, role: u.role, timeZone: u.timeZone, language: u.language } : null;
  }

  async findOrFail(id: number): Promise<User> {
    return findOrFail(Number.isSafeInteger(id) ? await this.findById(id) : null);
  }

  /**
   * Holds this person's row until the caller's transaction ends (PostgreSQL; SQLite serialises
   * transactions already), so that work on one person's calendar queues up: a meeting booked for,
   * or moved in, a host's calendar checks their other meetings only after any other such change
   * committed. FOR NO KEY UPDATE: rows that merely refer to the person (foreign keys) still insert.
   */
  async lockForUpdate(em: EntityManager, userId: number): Promise<void> {
    if (this.db.isPostgres) await em.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
  }

  /** People by id, as other modules' pages show them (one query; never the account entity). */
  async people(ids: Iterable<number>): Promise<Map<number, PersonView>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    // Hand-written (decision 54): the list is one bound parameter, however many people (the deadline
    // reminders ask for thousands at once; TypeORM's In() built a statement with a parameter each).
    const rows = await this.db.rows<{
      id: number | string;
      name: string;
      email: string;
      active: boolean | number | string;
      timeZone: string;
      role: User['role'];
    }>`
      SELECT id, name, email, active, time_zone AS "timeZone", role FROM users WHERE id IN ${unique}`;
    return new Map(
      rows.map((u) => [Number(u.id), { id: Number(u.id), name: u.name, email: u.email, active: rawBool(u.active), timeZone: u.timeZone, role: u.role }]),
    );
  }

  /** One page of people for the admin list: one count query and one page query, whatever the size. */
  async list(query: UserQuery): Promise<{ rows: UserRowView[]; total: number; page: number; pages: number }> {
    const qb = this.db.repo(User).createQueryBuilder('u');
    const q = query.q?.trim().toLowerCase();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where("LOWER(u.name) LIKE :like ESCAPE '\\'", { like }).orWhere("u.email LIKE :like ESCAPE '\\'", { like })));
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.status) qb.andWhere('u.active = :active', { active: query.status === 'active' });
    const total = await qb.getCount();
    const pages = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
    const page = Math.min(Math.max(1, query.page ?? 1), pages);
    const users = await qb
      .orderBy('LOWER(u.name)', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .offset((page - 1) * USERS_PAGE_SIZE)
      .limit(USERS_PAGE_SIZE)
      .getMany();
    return { rows: users.map(toUserRow), total, page, pages };
  }

  /** In how many workshops the person is a facilitator or an expert (whether or not their site role lets that work now). */
  courseRoleCounts(userId: number): Promise<Record<CourseRole, number>> {
    return this.courseRoles.countsOf(userId);
  }

  /** Changes a person's site role; says which of their course roles the new one puts on hold (or null). */
  async changeRole(actorId: number, userId: number, role: SiteRole): Promise<{ user: User; onHold: string | null }> {
    const user = await this.db.tx(async (em) => {
      const user = findOrFail(await em.getRepository(User).findOneBy({ id: userId }));
      if (user.role === role) return user;
      if (user.id === actorId && user.role === 'admin') {
        throw FormInvalidError.field('role', 'You cannot remove your own administrator role. Ask another administrator.');
      }
      const from = user.role;
      user.role = role;
      user.updatedAt = new Date();
      const saved = await em.getRepository(User).save(user);
      await this.events.record(em, { kind: 'user.role_changed', actorId, subject: { type: 'user', id: user.id }, payload: { from, to: role } });
      return saved;
    });
    return { user, onHold: courseRolesOnHold(await this.courseRoleCounts(user.id), user.role) };
  }

  /** Deactivates an account and ends all its sessions at once. */
  async deactivate(actorId: number, userId: number): Promise<User> {
    const user = await this.db.tx(async (em) => {
      const u = findOrFail(await em.getRepository(User).findOneBy({ id: userId }));
      if (u.id === actorId) throw FormInvalidError.field('_form', 'You cannot deactivate your own account.');
      if (!u.active) return u;
      u.active = false;
      u.deactivatedAt = new Date();
      u.updatedAt = u.deactivatedAt;
      const saved = await em.getRepository(User).save(u);
      await this.events.record(em, { kind: 'user.deactivated', actorId, subject: { type: 'user', id: u.id }, payload: {} });
      return saved;
    });
    await this.sessions.destroyForUser(user.id);
    return user;
  }

  async reactivate(actorId: number, userId: number): Promise<User> {
    return this.db.tx(async (em) => {
      const u = findOrFail(await em.getRepository(User).findOneBy({ id: userId }));
      if (u.active) return u;
      u.active = true;
      u.deactivatedAt = null;
      u.updatedAt = new Date();
      const saved = await em.getRepository(User).save(u);
      await this.events.record(em, { kind: 'user.reactivated', actorId, subject: { type: 'user', id: u.id }, payload: {} });
      return saved;
    });
  }

  async updateProfile(userId: number, change: { name: string; timeZone: string; language: string }): Promise<User> {
    return this.db.tx(async (em) => {
      const u = findOrFail(await em.getRepository(User).findOneBy({ id: userId }));
      Object.assign(u, change, { updatedAt: new Date() });
      return em.getRepository(User).save(u);
    });
  }

  async setPasswordHash(userId: number, passwordHash: string, keepSid?: string): Promise<void> {
    await this.db.tx((em) => em.getRepository(User).update({ id: userId }, { passwordHash, updatedAt: new Date() }));
    await this.sessions.destroyForUser(userId, keepSid);
  }

  /** A new active account (an accepted invitation). Joins an open transaction. */
  async create(account: { email: string; name: string; passwordHash: string; timeZone: string; language: string; role: SiteRole }): Promise<User> {
    return this.db.tx(async (em) => {
      const now = new Date();
      return em.getRepository(User).save(
        em.getRepository(User).create({
          ...account,
          email: normalizeEmail(account.email),
          active: true,
          createdAt: now,
          updatedAt: now,
          lastSignInAt: null,
          deactivatedAt: null,
        }),
      );
    });
  }

  async recordSignIn(userId: number): Promise<void> {
    await this.db.tx((em) => em.getRepository(User).update({ id: userId }, { lastSignInAt: new Date() }));
  }

  // Read API for submissions

  /** Names of these people by id (one query). */
  async namesByIds(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.rows<{ id: number; name: string }>`SELECT id, name FROM users WHERE id IN ${unique}`;
    return new Map(rows.map((u) => [Number(u.id), u.name]));
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const COURSE_ROLE_WORDS: Record<CourseRole, { doing: (n: number) => string; held: (n: number) => string }> = {
  facilitator: { doing: (n) => `manages ${plural(n, 'workshop')}`, held: (n) => `the management of ${plural(n, 'workshop')}` },
  expert: { doing: (n) => `advises teams in ${plural(n, 'workshop')}`, held: (n) => `their expert role in ${plural(n, 'workshop')}` },
};

/** A person's course roles in words: "manages 2 workshops and advises teams in 1 workshop", or null. */
export function courseRoleSummary(counts: Record<CourseRole, number>): string | null {
  const roles = COURSE_ROLES.filter((r) => counts[r] > 0);
  return roles.length ? roles.map((r) => COURSE_ROLE_WORDS[r].doing(counts[r])).join(' and ') : null;
}

/** The course roles a site role puts on hold: "the management of 2 workshops", or null. */
export function courseRolesOnHold(counts: Record<CourseRole, number>, siteRole: SiteRole): string | null {
  const roles = COURSE_ROLES.filter((r) => counts[r] > 0 && !holdsCourseRole(siteRole, r));
  return roles.length ? roles.map((r) => COURSE_ROLE_WORDS[r].held(counts[r])).join(' and ') : null;
}
