import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { FormInvalidError, NotFoundError } from '../common/errors';
import { holdsCourseRole } from '../common/permissions';
import { COURSE_ROLES, CourseMember, type CourseRole } from '../courses/course-member.entity';
import { Database } from '../database/database.service';
import { DbSessionStore } from '../sessions/db-session.store';
import { type SiteRole, User } from './user.entity';
import { toUserRow, type UserRowView } from './user.view';

export const USERS_PAGE_SIZE = 25;

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
  ) {}

  findByEmail(email: string): Promise<User | null> {
    return this.db.repo(User).findOneBy({ email: normalizeEmail(email) });
  }

  findById(id: number): Promise<User | null> {
    return this.db.repo(User).findOneBy({ id });
  }

  async findOrFail(id: number): Promise<User> {
    const user = Number.isSafeInteger(id) ? await this.findById(id) : null;
    if (!user) throw new NotFoundError();
    return user;
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
  async courseRoleCounts(userId: number): Promise<Record<CourseRole, number>> {
    const rows = await this.db.repo(CourseMember).findBy({ userId });
    return Object.fromEntries(COURSE_ROLES.map((r) => [r, rows.filter((m) => m.role === r).length])) as Record<CourseRole, number>;
  }

  async changeRole(actorId: number, userId: number, role: SiteRole): Promise<User> {
    return this.db.tx(async (em) => {
      const user = await em.getRepository(User).findOneBy({ id: userId });
      if (!user) throw new NotFoundError();
      if (user.role === role) return user;
      if (user.id === actorId && user.role === 'admin') {
        throw FormInvalidError.field('role', 'You cannot remove your own administrator role. Ask another administrator.');
      }
      user.role = role;
      user.updatedAt = new Date();
      return em.getRepository(User).save(user);
    });
  }

  /** Deactivates an account and ends all its sessions at once. */
  async deactivate(actorId: number, userId: number): Promise<User> {
    const user = await this.db.tx(async (em) => {
      const u = await em.getRepository(User).findOneBy({ id: userId });
      if (!u) throw new NotFoundError();
      if (u.id === actorId) throw FormInvalidError.field('_form', 'You cannot deactivate your own account.');
      if (!u.active) return u;
      u.active = false;
      u.deactivatedAt = new Date();
      u.updatedAt = u.deactivatedAt;
      return em.getRepository(User).save(u);
    });
    await this.sessions.destroyForUser(user.id);
    return user;
  }

  async reactivate(userId: number): Promise<User> {
    return this.db.tx(async (em) => {
      const u = await em.getRepository(User).findOneBy({ id: userId });
      if (!u) throw new NotFoundError();
      if (u.active) return u;
      u.active = true;
      u.deactivatedAt = null;
      u.updatedAt = new Date();
      return em.getRepository(User).save(u);
    });
  }

  async updateProfile(userId: number, change: { name: string; timeZone: string; language: string }): Promise<User> {
    return this.db.tx(async (em) => {
      const u = await em.getRepository(User).findOneBy({ id: userId });
      if (!u) throw new NotFoundError();
      Object.assign(u, change, { updatedAt: new Date() });
      return em.getRepository(User).save(u);
    });
  }

  async setPasswordHash(userId: number, passwordHash: string, keepSid?: string): Promise<void> {
    await this.db.tx((em) => em.getRepository(User).update({ id: userId }, { passwordHash, updatedAt: new Date() }));
    await this.sessions.destroyForUser(userId, keepSid);
  }

  async recordSignIn(userId: number): Promise<void> {
    await this.db.tx((em) => em.getRepository(User).update({ id: userId }, { lastSignInAt: new Date() }));
  }

  // Read API for submissions

  /** Names of these people by id (one query). */
  async namesByIds(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.repo(User).createQueryBuilder('u').select(['u.id', 'u.name']).where('u.id IN (:...ids)', { ids: unique }).getMany();
    return new Map(rows.map((u) => [u.id, u.name]));
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
