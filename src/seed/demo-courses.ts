import type { EntityManager } from 'typeorm';
import { addDays, localDate, zonedToUtc } from '../common/zoned-time';
import { Course } from '../courses/course.entity';
import { CourseMember } from '../courses/course-member.entity';
import { Phase } from '../courses/phase.entity';
import { ProgrammeSession, type SessionKind } from '../courses/programme-session.entity';
import { Resource, ResourceTag, type ResourceKind } from '../resources/resource.entity';
import { type Deliverable, Team } from '../teams/team.entity';
import { TeamExpert } from '../teams/team-expert.entity';
import { TeamMember, type Position, type TeamRole } from '../teams/team-member.entity';
import { User } from '../users/user.entity';
import { seedDemoTasks } from './demo-tasks';

const ZONE = 'Asia/Shanghai';

/** Extra demo people who lead or join country teams (all with the demo password). */
export const DEMO_TEAM_PEOPLE: readonly { email: string; name: string; timeZone: string }[] = [
  { email: 'sokha.chea@atelier.example', name: 'Sokha Chea', timeZone: 'Asia/Phnom_Penh' },
  { email: 'bolormaa.dorj@atelier.example', name: 'Bolormaa Dorj', timeZone: 'Asia/Ulaanbaatar' },
  { email: 'wanjiru.kamau@atelier.example', name: 'Wanjiru Kamau', timeZone: 'Africa/Nairobi' },
  { email: 'kwame.asante@atelier.example', name: 'Kwame Asante', timeZone: 'Africa/Accra' },
  { email: 'dewi.lestari@atelier.example', name: 'Dewi Lestari', timeZone: 'Asia/Jakarta' },
  { email: 'chinedu.okeke@atelier.example', name: 'Chinedu Okeke', timeZone: 'Africa/Lagos' },
  { email: 'selam.tesfaye@atelier.example', name: 'Selam Tesfaye', timeZone: 'Africa/Addis_Ababa' },
  { email: 'tran.van.minh@atelier.example', name: 'Tran Van Minh', timeZone: 'Asia/Ho_Chi_Minh' },
];

interface TeamSeed {
  country: string;
  city: string;
  region: string;
  deliverable: Deliverable;
  timeZone: string;
  members: { email: string; role: TeamRole; position: Position }[];
  expert?: boolean;
}

interface CourseSeed {
  title: string;
  series: string | null;
  edition: number | null;
  summary: string;
  teams: TeamSeed[];
  level: 'national' | 'municipal';
  forum: string;
}

const SEEDS: CourseSeed[] = [
  {
    title: 'Strengthening Education Systems from a Lifelong Learning Perspective',
    series: 'Strengthening Education Systems from a Lifelong Learning Perspective',
    edition: 6,
    summary:
      'Country teams of policymakers and researchers develop a lifelong-learning policy, an implementation strategy or a targeted action plan for their Member State. ' +
      'They work online with experts and other teams before and after an in-person week in Shanghai, where team leaders refine their drafts.',
    level: 'national',
    forum: "Presidents' forum: open universities and lifelong learning",
    teams: [
      {
        country: 'VN',
        city: '',
        region: 'asia-pacific',
        deliverable: 'policy',
        timeZone: 'Asia/Ho_Chi_Minh',
        expert: true,
        members: [
          { email: 'participant@atelier.example', role: 'leader', position: 'policymaker' },
          { email: 'tran.van.minh@atelier.example', role: 'member', position: 'researcher' },
        ],
      },
      {
        country: 'KH',
        city: '',
        region: 'asia-pacific',
        deliverable: 'implementation_strategy',
        timeZone: 'Asia/Phnom_Penh',
        expert: true,
        members: [{ email: 'sokha.chea@atelier.example', role: 'leader', position: 'policymaker' }],
      },
      {
        country: 'MN',
        city: '',
        region: 'asia-pacific',
        deliverable: 'action_plan',
        timeZone: 'Asia/Ulaanbaatar',
        members: [{ email: 'bolormaa.dorj@atelier.example', role: 'leader', position: 'policymaker' }],
      },
      {
        country: 'KE',
        city: '',
        region: 'africa',
        deliverable: 'policy',
        timeZone: 'Africa/Nairobi',
        members: [{ email: 'wanjiru.kamau@atelier.example', role: 'leader', position: 'policymaker' }],
      },
      {
        country: 'GH',
        city: '',
        region: 'africa',
        deliverable: 'action_plan',
        timeZone: 'Africa/Accra',
        members: [{ email: 'kwame.asante@atelier.example', role: 'leader', position: 'researcher' }],
      },
    ],
  },
  {
    title: 'Empowering Cities to Become Key Players for Lifelong Learning Advancement',
    series: null,
    edition: null,
    summary:
      'Teams from cities in Asia-Pacific and Africa develop learning-city strategies drawing on the Key Features of Learning Cities. ' +
      'An online phase on the learning hub prepares an in-person week at the Guoshun Campus of Shanghai Open University, followed by an online phase to finalise the strategies.',
    level: 'municipal',
    forum: "Mayors' and presidents' forum: cities as lifelong-learning actors",
    teams: [
      {
        country: 'ID',
        city: 'Surabaya',
        region: 'asia-pacific',
        deliverable: 'learning_city_strategy',
        timeZone: 'Asia/Jakarta',
        expert: true,
        members: [{ email: 'dewi.lestari@atelier.example', role: 'leader', position: 'policymaker' }],
      },
      { country: 'TH', city: 'Chiang Mai', region: 'asia-pacific', deliverable: 'learning_city_strategy', timeZone: 'Asia/Bangkok', members: [] },
      { country: 'NP', city: 'Pokhara', region: 'asia-pacific', deliverable: 'learning_city_strategy', timeZone: 'Asia/Kathmandu', members: [] },
      { country: 'LK', city: 'Kandy', region: 'asia-pacific', deliverable: 'learning_city_strategy', timeZone: 'Asia/Colombo', members: [] },
      {
        country: 'VN',
        city: 'Hue',
        region: 'asia-pacific',
        deliverable: 'learning_city_strategy',
        timeZone: 'Asia/Ho_Chi_Minh',
        expert: true,
        members: [
          { email: 'tran.van.minh@atelier.example', role: 'leader', position: 'policymaker' },
          { email: 'participant@atelier.example', role: 'member', position: 'policymaker' },
        ],
      },
      {
        country: 'NG',
        city: 'Lagos',
        region: 'africa',
        deliverable: 'learning_city_strategy',
        timeZone: 'Africa/Lagos',
        members: [{ email: 'chinedu.okeke@atelier.example', role: 'leader', position: 'policymaker' }],
      },
      {
        country: 'ET',
        city: 'Addis Ababa',
        region: 'africa',
        deliverable: 'learning_city_strategy',
        timeZone: 'Africa/Addis_Ababa',
        members: [{ email: 'selam.tesfaye@atelier.example', role: 'leader', position: 'researcher' }],
      },
      { country: 'UG', city: 'Kampala', region: 'africa', deliverable: 'learning_city_strategy', timeZone: 'Africa/Kampala', members: [] },
      { country: 'TZ', city: 'Dar es Salaam', region: 'africa', deliverable: 'learning_city_strategy', timeZone: 'Africa/Dar_es_Salaam', members: [] },
    ],
  },
];

const RESOURCES: { title: string; kind: ResourceKind; url: string; description: string; tags: string[]; phase: 0 | 1 | 2 | null }[] = [
  {
    title: 'Making Lifelong Learning a Reality: a handbook',
    kind: 'handbook_chapter',
    url: 'https://www.uil.unesco.org/en/lifelong-learning',
    description: 'UNESCO handbook on developing and implementing lifelong-learning policies; start with the chapters on vision and governance.',
    tags: ['Lifelong-learning policy', 'SDG 4', 'Governance'],
    phase: 0,
  },
  {
    title: 'Key Features of Learning Cities',
    kind: 'publication',
    url: 'https://www.uil.unesco.org/en/learning-cities',
    description: 'The framework of the UNESCO Global Network of Learning Cities: pillars, building blocks and fundamental conditions.',
    tags: ['Key features of learning cities', 'SDG 11'],
    phase: 0,
  },
  {
    title: 'Country context analysis: template',
    kind: 'template',
    url: 'https://www.uil.unesco.org/en/lifelong-learning',
    description: 'Structure for the first task: the state of lifelong learning in your country or city, actors, data and gaps.',
    tags: ['Template', 'Country context'],
    phase: 0,
  },
  {
    title: 'Lifelong learning and climate action',
    kind: 'video',
    url: 'https://www.uil.unesco.org/en',
    description: 'Recorded webinar with examples of learning for sustainable development in cities.',
    tags: ['Climate action', 'SDG 4'],
    phase: 2,
  },
];

function programme(
  forum: string,
): { day: number; start: string; end: string; kind: SessionKind; title: string; room: string; chairs?: string; speakers?: string; interp?: string }[] {
  return [
    {
      day: 0,
      start: '09:00',
      end: '10:30',
      kind: 'plenary',
      title: 'Opening plenary: lifelong learning for all',
      room: 'Hall A',
      chairs: 'Chen Jing',
      speakers: 'Mariam Okafor; President, Shanghai Open University',
      interp: 'zh,fr',
    },
    { day: 0, start: '10:30', end: '11:00', kind: 'break', title: 'Coffee break', room: '' },
    {
      day: 0,
      start: '11:00',
      end: '12:30',
      kind: 'round_table',
      title: 'Round table: from policy to implementation',
      room: 'Hall A',
      chairs: 'Raúl Valdés',
      interp: 'zh,fr',
    },
    { day: 0, start: '14:00', end: '17:00', kind: 'team_work', title: 'Team work: presenting the country context', room: 'Rooms 201–205' },
    { day: 1, start: '09:00', end: '10:30', kind: 'presidents_forum', title: forum, room: 'Hall A', interp: 'zh' },
    { day: 1, start: '11:00', end: '12:30', kind: 'plenary', title: 'Financing and monitoring lifelong learning', room: 'Hall A', speakers: 'Raúl Valdés' },
    { day: 1, start: '14:00', end: '17:00', kind: 'team_work', title: 'Team work with experts: refining the drafts', room: 'Rooms 201–205' },
    { day: 2, start: '09:00', end: '16:00', kind: 'site_visit', title: 'Site visit: community learning centres in Shanghai', room: '' },
    { day: 3, start: '09:00', end: '12:30', kind: 'team_work', title: 'Team work: action plans and indicators', room: 'Rooms 201–205' },
    { day: 3, start: '14:00', end: '17:00', kind: 'round_table', title: 'Peer review between teams', room: 'Hall B' },
    { day: 4, start: '09:00', end: '11:30', kind: 'plenary', title: 'Presentations of the refined drafts', room: 'Hall A', interp: 'zh,fr' },
    { day: 4, start: '11:30', end: '12:30', kind: 'plenary', title: 'Closing and next steps online', room: 'Hall A', chairs: 'Chen Jing' },
  ];
}

/**
 * The two demo workshops, placed around the day of seeding so that today falls in the first
 * online phase: online from 14 days ago for 5 weeks, the in-person week after it, then a
 * 5-week online follow-up. Idempotent: a course that already exists by title is left alone.
 */
export async function seedDemoCourses(em: EntityManager, now = new Date()): Promise<number> {
  const users = new Map((await em.getRepository(User).find()).map((u) => [u.email, u]));
  const facilitator = users.get('facilitator@atelier.example');
  const expert = users.get('expert@atelier.example');
  const today = localDate(now, ZONE);
  const startsOn = addDays(today, -14);
  const weekStart = addDays(today, 21);
  const weekEnd = addDays(weekStart, 4);
  const endsOn = addDays(weekEnd, 35);
  let created = 0;

  for (const seed of SEEDS) {
    if (await em.getRepository(Course).existsBy({ title: seed.title })) continue;
    created++;
    const course = await em.getRepository(Course).save(
      em.getRepository(Course).create({
        title: seed.title,
        series: seed.series,
        edition: seed.edition,
        summary: seed.summary,
        organisers: 'UNESCO Institute for Lifelong Learning (UIL) and Shanghai Open University',
        venueCampus: 'Guoshun Campus, Shanghai Open University',
        venueCity: 'Shanghai',
        venueCountry: 'CN',
        timeZone: ZONE,
        startsOn,
        endsOn,
        participation: 'invitation',
        workingLanguage: 'en',
        interpretationLanguages: 'zh,fr',
        status: 'published',
        createdById: facilitator?.id ?? null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const phases = await em.getRepository(Phase).save([
      em.getRepository(Phase).create({
        courseId: course.id,
        title: 'Online phase: preparing the country context',
        kind: 'online',
        startsOn,
        endsOn: addDays(weekStart, -1),
        description: 'Online meetings with experts and other teams on the learning hub; individual and collaborative tasks; first draft.',
        platformUrl: 'https://hub.example.org/atelier',
        createdAt: now,
      }),
      em.getRepository(Phase).create({
        courseId: course.id,
        title: 'In-person week in Shanghai',
        kind: 'in_person',
        startsOn: weekStart,
        endsOn: weekEnd,
        description: 'Plenaries, round tables, a site visit and team work at the Guoshun Campus; team leaders refine their drafts.',
        platformUrl: null,
        createdAt: now,
      }),
      em.getRepository(Phase).create({
        courseId: course.id,
        title: 'Online follow-up: finalising the drafts',
        kind: 'online',
        startsOn: addDays(weekEnd, 1),
        endsOn,
        description: 'Revising and finalising the policy, strategy or action plan with feedback from facilitators and experts.',
        platformUrl: 'https://hub.example.org/atelier',
        createdAt: now,
      }),
    ]);
    await em.getRepository(ProgrammeSession).save(
      programme(seed.forum).map((s) =>
        em.getRepository(ProgrammeSession).create({
          phaseId: phases[1].id,
          kind: s.kind,
          title: s.title,
          room: s.room,
          startsAt: zonedToUtc(addDays(weekStart, s.day), s.start, ZONE),
          endsAt: zonedToUtc(addDays(weekStart, s.day), s.end, ZONE),
          chairs: s.chairs ?? '',
          speakers: s.speakers ?? '',
          interpretationLanguages: s.interp ?? '',
          description: '',
        }),
      ),
    );
    if (facilitator) await em.getRepository(CourseMember).save({ courseId: course.id, userId: facilitator.id, role: 'facilitator', createdAt: now });
    if (expert) await em.getRepository(CourseMember).save({ courseId: course.id, userId: expert.id, role: 'expert', createdAt: now });
    for (const t of seed.teams) {
      const team = await em.getRepository(Team).save(
        em.getRepository(Team).create({
          courseId: course.id,
          country: t.country,
          city: t.city,
          region: t.region,
          deliverable: t.deliverable,
          timeZone: t.timeZone,
          createdAt: now,
        }),
      );
      for (const m of t.members) {
        const u = users.get(m.email);
        if (u)
          await em.getRepository(TeamMember).save({ teamId: team.id, userId: u.id, teamRole: m.role, position: m.position, level: seed.level, createdAt: now });
      }
      if (t.expert && expert) await em.getRepository(TeamExpert).save({ teamId: team.id, userId: expert.id, createdAt: now });
    }
    await seedDemoTasks(em, course, phases, now);
    for (const r of RESOURCES) {
      const row = await em.getRepository(Resource).save(
        em.getRepository(Resource).create({
          courseId: course.id,
          phaseId: r.phase === null ? null : phases[r.phase].id,
          title: r.title,
          kind: r.kind,
          description: r.description,
          url: r.url,
          fileKey: null,
          fileName: null,
          fileType: null,
          fileSize: null,
          fileSha256: null,
          createdById: facilitator?.id ?? null,
          createdAt: now,
        }),
      );
      await em.getRepository(ResourceTag).insert(r.tags.map((tag) => ({ resourceId: row.id, tag })));
    }
  }
  return created;
}
