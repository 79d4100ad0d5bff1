import * as fs from 'node:fs';
import * as path from 'node:path';
import { Resource } from '../src/resources/resource.entity';
import { SubmissionFile } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';
import { streamUpload, type StreamedUpload } from './utils/streamed-upload';

const MB = 1024 * 1024;

/**
 * Uploads far over the limit, in parallel, at the default limit of 25 MB: the process must answer
 * each of them (422 with the form kept, or 413 beyond four times the limit), keep serving, and
 * leave no temporary file. Files are generated while they are sent, never held in memory.
 */
describe('oversized uploads', () => {
  let t: TestApp;
  let fac: Agent;
  let facCookie: string;
  let leader: Agent;
  let leaderCookie: string;
  let resources: string;
  let draftFiles: string;

  const cookieOf = (res: { headers: Record<string, unknown> }) => String((res.headers['set-cookie'] as string[])[0]).split(';')[0];
  const tempFiles = () => {
    const dir = path.join(t.config.uploadDir, 'tmp');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  const storedFiles = () => {
    const dir = path.join(t.config.uploadDir, 'files');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  /** Temporary files are removed when each request ends; give the last removals a moment. */
  async function expectNoTempFiles() {
    for (let i = 0; i < 50 && tempFiles().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tempFiles()).toEqual([]);
  }

  beforeAll(async () => {
    t = await createTestApp();
    expect(t.config.uploadMaxMb).toBe(25);
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, { teams: [{ leader: {} }] });
    fac = agent(t.server);
    leader = agent(t.server);
    facCookie = cookieOf(await signIn(fac, facilitator.email));
    leaderCookie = cookieOf(await signIn(leader, teams[0].leader!.email));
    resources = `/courses/${course.id}/resources`;
    const task = await createTaskThroughApp(t.db, fac, course.id, {
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
      expectsText: '',
      expectsFiles: 'on',
      allowedTypes: ['pdf'],
      maxFiles: '3',
      rubric: '',
      audience: 'all',
    });
    draftFiles = `/courses/${course.id}/tasks/${task.id}/submissions/team-${teams[0].team.id}`;
  });
  afterAll(() => t.close());

  // Tokens are taken from the forms once, before the parallel uploads, as open browser tabs hold them.
  const tokens = { fac: '', leader: '' };
  beforeAll(async () => {
    tokens.fac = csrfFrom((await fac.get(`${resources}/new`)).text);
    tokens.leader = csrfFrom((await leader.get(draftFiles)).text);
  });

  function resourceUpload(fileBytes: number, over: Partial<StreamedUpload> = {}) {
    const token = tokens.fac;
    return streamUpload(t.server, {
      path: resources,
      cookie: facCookie,
      before: { _csrf: token, title: `Annual report ${fileBytes}`, kind: 'file', description: 'Typed before choosing the file', url: '' },
      after: { phaseId: '', tags: 'Typed after the file field' },
      fileBytes,
      ...over,
    });
  }

  function draftUpload(fileBytes: number) {
    const token = tokens.leader;
    return streamUpload(t.server, { path: `${draftFiles}/files`, cookie: leaderCookie, before: { _csrf: token }, fileBytes });
  }

  it('answers parallel uploads of 2 and 8 times the limit, keeps serving, and leaves no temporary file', async () => {
    const storedBefore = storedFiles();
    const rssBefore = process.memoryUsage().rss;
    const results = await Promise.all([
      ...Array.from({ length: 3 }, () => resourceUpload(50 * MB)),
      draftUpload(50 * MB),
      ...Array.from({ length: 3 }, () => resourceUpload(200 * MB)),
      draftUpload(200 * MB),
    ]);
    const [overTwice, overEightTimes] = [results.slice(0, 4), results.slice(4)];

    // Up to four times the limit the file is drained, so the form comes back with what was typed.
    for (const r of overTwice) {
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(422);
      expect(textOf(r.body)).toContain('This file is 50.0 MB; files may be at most 25 MB.');
    }
    expect(overTwice[0].body).toContain(`value="Annual report ${50 * MB}"`);
    expect(overTwice[0].body).toContain('value="Typed after the file field"');
    // Beyond that it is refused at once from its Content-Length, unread, with a page that says why.
    for (const r of overEightTimes) {
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(413);
      expect(textOf(r.body)).toContain('files may be at most 25 MB');
      expect(textOf(r.body)).toContain('Nothing was saved');
      expect(r.sentBeforeAnswer).toBeLessThan(50 * MB);
    }
    // Memory stays flat: 1 GB was offered, in chunks made as they were sent (the test's client runs in this process too).
    const grownMb = (process.memoryUsage().rss - rssBefore) / MB;
    expect(grownMb).toBeLessThan(200);

    await agent(t.server).get('/healthz').expect(200);
    expect((await fac.get(`${resources}/new`)).status).toBe(200);
    expect(await t.db.repo(Resource).count()).toBe(0);
    expect(await t.db.repo(SubmissionFile).count()).toBe(0);
    expect(storedFiles()).toEqual(storedBefore);
    await expectNoTempFiles();
  });

  it('refuses an upload sent without Content-Length once it passes four times the limit (413), leaving nothing', async () => {
    const r = await resourceUpload(120 * MB, { chunked: true });
    expect(r.status).toBe(413);
    expect(textOf(r.body)).toContain('files may be at most 25 MB');
    await agent(t.server).get('/healthz').expect(200);
    expect(await t.db.repo(Resource).count()).toBe(0);
    await expectNoTempFiles();
  });

  it('leaves no temporary file when the connection drops mid-upload', async () => {
    const r = await resourceUpload(20 * MB, { abortAfterBytes: 8 * MB });
    expect(r.status).toBeNull();
    await agent(t.server).get('/healthz').expect(200);
    expect(await t.db.repo(Resource).count()).toBe(0);
    await expectNoTempFiles();
  });

  it('still accepts a file just under the limit', async () => {
    const r = await resourceUpload(25 * MB - 1024);
    expect(r.status).toBe(303);
    expect(await t.db.repo(Resource).count()).toBe(1);
    await expectNoTempFiles();
  });
});
