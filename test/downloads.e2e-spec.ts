import * as fs from 'node:fs';
import * as path from 'node:path';
import { declaredRoutes } from '../src/common/routes';
import { Meeting, MeetingTeam } from '../src/meetings/meeting.entity';
import { Resource } from '../src/resources/resource.entity';
import { ReviewFile, SubmissionFile, SubmissionVersion, VersionFile } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createFileResource, createTaskThroughApp, KENYA, signedIn, submitWork } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';

const PDF = Buffer.from('%PDF-1.7\n<script>alert(1)</script>\n%%EOF\n');

const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Every route that hands out a file (its path names a download, a file or a file type). */
const DOWNLOAD_ROUTE = /(\/download|\/files\/:fileId|\.zip|\.ics)$/;
/** Subscriptions, not downloads: calendar apps poll them (cached briefly, shown inline); tested in calendar-feed.e2e-spec.ts. */
const FEEDS = ['/calendar/:token.ics'];

describe('file downloads', () => {
  let t: TestApp;
  let fac: Agent;
  let leader: Agent;
  let otherLeader: Agent;
  /** One concrete address per download route, and who may fetch it. */
  const downloads = new Map<string, { url: string; as: () => Agent }>();

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, { teams: [{ leader: {} }, { team: KENYA, leader: {} }] });
    const c = course.id;
    fac = await signedIn(t.server, facilitator);
    leader = await signedIn(t.server, teams[0].leader!);
    otherLeader = await signedIn(t.server, teams[1].leader!);

    await createFileResource(fac, c, 'Handbook', ['handbook.pdf', PDF]);
    const resource = await t.db.repo(Resource).findOneByOrFail({ title: 'Handbook' });

    const task = await createTaskThroughApp(t.db, fac, c, {
      title: 'Annexes',
      phaseId: String(phases[0].id),
      kind: 'team',
      instructions: '',
      opensDay: '2024-09-01',
      opensTime: '09:00',
      dueDay: '2099-01-01',
      dueTime: '17:00',
      cutOffDay: '',
      cutOffTime: '',
      expectsText: 'on',
      expectsFiles: 'on',
      allowedTypes: ['pdf'],
      maxFiles: '3',
      rubric: '',
      audience: 'all',
    });
    const base = `/courses/${c}/tasks/${task.id}/submissions/team-${teams[0].team.id}`;
    const p2 = await submitWork(leader, base, { text: '# Draft', files: [['annex.pdf', PDF]] });
    const rf = await fac.get(`${base}/review`);
    await fac
      .post(`${base}/review`)
      .field('_csrf', csrfFrom(rf.text))
      .field('versionNumber', '1')
      .field('overall', 'See the notes.')
      .field('decision', 'changes')
      .field('action', 'release')
      .attach('file', PDF, 'notes.pdf')
      .expect(303);
    await leader
      .post(`${base}/versions/1/share`)
      .type('form')
      .send({ _csrf: csrfFrom(p2.text), shared: '1' })
      .expect(303);

    const draftFile = await t.db.repo(SubmissionFile).findOneByOrFail({ fileName: 'annex.pdf' });
    const version = await t.db.repo(SubmissionVersion).findOneByOrFail({ number: 1 });
    const versionFile = await t.db.repo(VersionFile).findOneByOrFail({ versionId: version.id });
    const reviewFile = await t.db.repo(ReviewFile).findOneByOrFail({ fileName: 'notes.pdf' });
    const sub = `/courses/:id/tasks/:taskId/submissions/:owner`;
    downloads.set('/courses/:id/resources/:resourceId/download', { url: `/courses/${c}/resources/${resource.id}/download`, as: () => leader });
    downloads.set(`${sub}/files/:fileId`, { url: `${base}/files/${draftFile.id}`, as: () => leader });
    downloads.set(`${sub}/versions/:number/files/:fileId`, { url: `${base}/versions/1/files/${versionFile.id}`, as: () => leader });
    downloads.set(`${sub}/reviews/:reviewId/files/:fileId`, { url: `${base}/reviews/${reviewFile.reviewId}/files/${reviewFile.id}`, as: () => leader });
    downloads.set('/courses/:id/gallery/:versionId/files/:fileId', {
      url: `/courses/${c}/gallery/${version.id}/files/${versionFile.id}`,
      as: () => otherLeader,
    });
    downloads.set('/courses/:id/tasks/:taskId/download.zip', { url: `/courses/${c}/tasks/${task.id}/download.zip`, as: () => fac });
    downloads.set('/courses/:id/programme.ics', { url: `/courses/${c}/programme.ics`, as: () => leader });
    const now = new Date();
    const meeting = await t.db.tx(async (em) => {
      const m = await em.getRepository(Meeting).save({
        courseId: c,
        kind: 'expert_consultation',
        title: 'Consultation',
        agenda: 'The draft',
        onlineLink: null,
        startsAt: new Date('2024-10-29T06:00:00Z'),
        endsAt: new Date('2024-10-29T06:30:00Z'),
        hostId: facilitator.id,
        bookedBy: teams[0].leader!.id,
        status: 'scheduled',
        sequence: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await em.getRepository(MeetingTeam).save({ meetingId: m.id, teamId: teams[0].team.id });
      return m;
    });
    downloads.set('/courses/:id/meetings/:meetingId.ics', { url: `/courses/${c}/meetings/${meeting.id}.ics`, as: () => leader });
  });
  afterAll(() => t.close());

  it('covers every download route of the app', () => {
    const routes = declaredRoutes(t.app)
      .filter((r) => r.method === 'GET' && DOWNLOAD_ROUTE.test(r.path) && !FEEDS.includes(r.path))
      .map((r) => r.path);
    expect(routes.sort()).toEqual([...downloads.keys()].sort());
  });

  it('sends every download as a sandboxed attachment: Content-Security-Policy sandbox, attachment, nosniff, not cached', async () => {
    for (const [route, d] of downloads) {
      const res = await d.as().get(d.url).buffer(true).parse(binary);
      expect(`${route} ${res.status}`).toBe(`${route} 200`);
      expect([route, res.headers['content-security-policy']]).toEqual([route, "sandbox; default-src 'none'"]);
      expect([route, res.headers['content-disposition']]).toEqual([route, expect.stringMatching(/^attachment; filename="[^"]+"/)]);
      expect([route, res.headers['x-content-type-options']]).toEqual([route, 'nosniff']);
      expect([route, res.headers['cache-control']]).toEqual([route, 'private, no-store']);
    }
  });

  it('answers 404 for a stored file that can no longer be read, and leaves it out of the ZIP, never taking the server down', async () => {
    const key = (await t.db.repo(SubmissionFile).findOneByOrFail({ fileName: 'annex.pdf' })).fileKey;
    const stored = path.join(t.config.uploadDir, 'files', key);
    const saved = fs.readFileSync(stored);
    fs.rmSync(stored);
    fs.mkdirSync(stored); // still there, but not a file that can be read
    try {
      for (const route of [
        '/courses/:id/tasks/:taskId/submissions/:owner/files/:fileId',
        '/courses/:id/tasks/:taskId/submissions/:owner/versions/:number/files/:fileId',
      ]) {
        const d = downloads.get(route)!;
        const res = await d.as().get(d.url);
        expect(`${route} ${res.status}`).toBe(`${route} 404`);
        expect(textOf(res.text)).toContain('This file is no longer available.');
      }
      const d = downloads.get('/courses/:id/tasks/:taskId/download.zip')!;
      const zip = await d.as().get(d.url).buffer(true).parse(binary);
      expect(zip.status).toBe(200);
      expect((zip.body as Buffer).includes('version-1.md')).toBe(true);
      expect((zip.body as Buffer).includes('annex.pdf')).toBe(false);
    } finally {
      fs.rmdirSync(stored);
      fs.writeFileSync(stored, saved);
    }
    await agent(t.server).get('/healthz').expect(200);
  });
});
