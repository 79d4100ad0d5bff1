import { Global, Injectable, Module } from '@nestjs/common';
import { findOrFail, FormInvalidError } from '../common/errors';
import { holdsCourseRole } from '../common/permissions';
import { COURSE_ROLES, type CourseRole } from '../common/roles';
import { Database } from '../database/database.service';
import { CourseRoleCounts } from '../users/course-roles.port';
import { ROLE_LABELS } from '../users/user.view';
import { UsersService } from '../users/users.service';
import type { CourseManager } from './course-access.service';
import { CourseMember } from './course-member.entity';

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

/** The person is already a facilitator or expert of this course: the form again, 422. */
export class AlreadyCourseStaffError extends FormInvalidError {
  constructor(name: string) {
    super({ email: [`${name} is already part of this course.`] });
  }
}

/** A person as the staff pages show them (never the account entity). */
export interface StaffPerson {
  id: number;
  name: string;
  email: string;
}

/**
 * A course's staff (course_members): its facilitators and experts. The courses module's own table;
 * other modules ask here.
 */
@Injectable()
export class CourseStaffService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
  ) {}

  /** Facilitators and experts of a course (one query). */
  async staff(courseId: number) {
    const rows = await this.db.repo(CourseMember).find({ where: { courseId }, order: { role: 'ASC', createdAt: 'ASC' } });
    const people = await this.users.people(rows.map((r) => r.userId));
    return rows.map((r) => {
      const u = findOrFail(people.get(r.userId));
      return {
        id: r.id,
        userId: r.userId,
        role: r.role,
        roleLabel: r.role === 'facilitator' ? 'Facilitator' : 'Expert',
        name: u.name,
        email: u.email,
        timeZone: u.timeZone,
        // Kept but not in effect while their site role does not allow it (see COURSE_ROLE_NEEDS).
        onHold: holdsCourseRole(u.role, r.role) ? null : ROLE_LABELS[u.role].toLowerCase(),
      };
    });
  }

  /** The course's experts whose site role lets them advise now (one query). */
  async experts(courseId: number): Promise<StaffPerson[]> {
    const rows = await this.db.repo(CourseMember).find({ where: { courseId, role: 'expert' } });
    const people = await this.users.people(rows.map((r) => r.userId));
    return [...people.values()].filter((u) => holdsCourseRole(u.role, 'expert')).map((u) => ({ id: u.id, name: u.name, email: u.email }));
  }

  /** The person, when they are an expert of the course in effect now; otherwise null. */
  async expert(courseId: number, userId: number): Promise<StaffPerson | null> {
    const r = await this.db.repo(CourseMember).findOneBy({ courseId, userId, role: 'expert' });
    const u = r ? await this.users.findById(r.userId) : null;
    return u && holdsCourseRole(u.role, 'expert') ? { id: u.id, name: u.name, email: u.email } : null;
  }

  /** Ids of the courses the person runs as a facilitator (whether or not their site role lets that work now). */
  async facilitatedCourseIds(userId: number): Promise<number[]> {
    return (await this.db.repo(CourseMember).findBy({ userId, role: 'facilitator' })).map((r) => r.courseId);
  }

  /** The facilitators of these courses, by course (one query; whether their site role lets them act is the caller's to check). */
  async facilitatorsOf(courseIds: readonly number[]): Promise<{ courseId: number; userId: number }[]> {
    if (!courseIds.length) return [];
    const rows = await this.db.rows<{ courseId: number | string; userId: number | string }>`
      SELECT course_id AS "courseId", user_id AS "userId" FROM course_members WHERE role = 'facilitator' AND course_id IN ${[...new Set(courseIds)]}`;
    return rows.map((r) => ({ courseId: Number(r.courseId), userId: Number(r.userId) }));
  }

  /** Adds an existing account to the course as facilitator or expert. */
  async add(m: CourseManager, input: { email: string; role: CourseRole }): Promise<StaffPerson> {
    const user = await this.users.findByEmail(input.email);
    if (!user) throw FormInvalidError.field('email', 'No Atelier account uses this address. Invite the person first (Invitations), then add them here.');
    if (!user.active) throw FormInvalidError.field('email', `${user.name}'s account is deactivated.`);
    if (!holdsCourseRole(user.role, input.role)) {
      throw FormInvalidError.field(
        'role',
        `${user.name} is ${ROLE_LABELS[user.role].toLowerCase()} on Atelier; only ${input.role === 'facilitator' ? 'facilitators' : 'experts and facilitators'} can be added as ${input.role}. An administrator can change their role.`,
      );
    }
    try {
      await this.db.tx((em) =>
        em
          .getRepository(CourseMember)
          .save(em.getRepository(CourseMember).create({ courseId: m.course.id, userId: user.id, role: input.role, createdAt: new Date() })),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyCourseStaffError(user.name);
      throw err;
    }
    return { id: user.id, name: user.name, email: user.email };
  }

  /**
   * Removes a facilitator or expert (never the last facilitator). Joins an open transaction, so the
   * caller can tidy what hangs on the role (an expert's team assignments) in the same one.
   */
  async remove(m: CourseManager, memberId: number): Promise<StaffPerson & { role: CourseRole }> {
    return this.db.tx(async (em) => {
      const row = findOrFail(await em.getRepository(CourseMember).findOneBy({ id: memberId, courseId: m.course.id }));
      if (row.role === 'facilitator' && (await em.getRepository(CourseMember).countBy({ courseId: m.course.id, role: 'facilitator' })) <= 1) {
        throw FormInvalidError.field('_form', 'A course needs at least one facilitator. Add another facilitator before removing this one.');
      }
      await em.getRepository(CourseMember).delete({ id: row.id });
      const u = findOrFail(await this.users.findById(row.userId));
      return { id: u.id, name: u.name, email: u.email, role: row.role };
    });
  }
}

/** The courses module's answer to the users module's CourseRoleCounts port (one query). */
@Injectable()
export class CourseRoleCountsReader extends CourseRoleCounts {
  constructor(private readonly db: Database) {
    super();
  }

  async countsOf(userId: number): Promise<Record<CourseRole, number>> {
    const rows = await this.db.repo(CourseMember).findBy({ userId });
    return Object.fromEntries(COURSE_ROLES.map((r) => [r, rows.filter((m) => m.role === r).length])) as Record<CourseRole, number>;
  }
}

/**
 * Provides CourseRoleCounts app-wide. Global because the users module, which the courses module
 * builds on, needs it: a module import would be a cycle; this is the dependency turned around.
 */
@Global()
@Module({ providers: [{ provide: CourseRoleCounts, useClass: CourseRoleCountsReader }], exports: [CourseRoleCounts] })
export class CourseRoleCountsModule {}
