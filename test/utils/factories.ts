import { Course } from '../../src/courses/course.entity';
import { CourseMember, type CourseRole } from '../../src/courses/course-member.entity';
import { Phase } from '../../src/courses/phase.entity';
import { Team } from '../../src/teams/team.entity';
import { TeamMember, type TeamRole } from '../../src/teams/team-member.entity';
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


/** A published course (Shanghai, 1 Sept – 30 Nov 2024) with online / in-person / online phases. */
export async function createCourse(db: Database, over: Partial<Course> = {}): Promise<{ course: Course; phases: Phase[] }> {
  const now = new Date();
  return db.tx(async (em) => {
    const course = await em.getRepository(Course).save(
      em.getRepository(Course).create({
        title: 'Empowering Cities to Become Key Players for Lifelong Learning Advancement',
        series: null, edition: null, summary: 'Learning-city strategies.', organisers: 'UIL and Shanghai Open University',
        venueCampus: 'Guoshun Campus', venueCity: 'Shanghai', venueCountry: 'CN', timeZone: 'Asia/Shanghai',
        startsOn: '2024-09-01', endsOn: '2024-11-30', participation: 'invitation', workingLanguage: 'en', interpretationLanguages: 'zh',
        status: 'published', createdById: null, createdAt: now, updatedAt: now, ...over,
      }),
    );
    const phases = await em.getRepository(Phase).save([
      em.getRepository(Phase).create({ courseId: course.id, title: 'Online before', kind: 'online', startsOn: '2024-09-01', endsOn: '2024-10-20', description: '', platformUrl: null, createdAt: now }),
      em.getRepository(Phase).create({ courseId: course.id, title: 'In-person week', kind: 'in_person', startsOn: '2024-10-21', endsOn: '2024-10-25', description: '', platformUrl: null, createdAt: now }),
      em.getRepository(Phase).create({ courseId: course.id, title: 'Online after', kind: 'online', startsOn: '2024-10-26', endsOn: '2024-11-30', description: '', platformUrl: null, createdAt: now }),
    ]);
    return { course, phases };
  });
}

export async function addStaff(db: Database, courseId: number, userId: number, role: CourseRole) {
  return db.tx((em) => em.getRepository(CourseMember).save({ courseId, userId, role, createdAt: new Date() }));
}

export async function createTeam(db: Database, courseId: number, over: Partial<Team> = {}): Promise<Team> {
  return db.tx((em) =>
    em.getRepository(Team).save(em.getRepository(Team).create({ courseId, country: 'VN', city: '', region: 'asia-pacific', deliverable: 'policy', timeZone: 'Asia/Ho_Chi_Minh', createdAt: new Date(), ...over })),
  );
}

export async function addMember(db: Database, teamId: number, userId: number, teamRole: TeamRole = 'member') {
  return db.tx((em) => em.getRepository(TeamMember).save({ teamId, userId, teamRole, position: 'policymaker', level: 'national', createdAt: new Date() }));
}
