import { jest } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Database } from '../src/database/database.service';
import { SubmissionFile } from '../src/submissions/submission.entity';
import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, KENYA, signedIn, signIn, submitWork } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';

describe('submission files and the review queue filters', () => {
  let t: TestApp;
  let leader: Agent;
  let fac: Agent;
  let base: string;
  let courseId: number;
  let teamId: number;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_MB: '1' });
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, { teams: [{ leader: {} }, { team: KENYA, leader: {} }] });
    courseId = course.id;
    const [own, other] = teams;
    teamId = own.team.id;
    leader = await signedIn(t.server, own.leader!);
    fac = await signedIn(t.server, facilitator);
    const task = await createTaskThroughApp(t.db, fac, courseId, {
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
      allowedTypes: ['pdf', 'docx'],
      maxFiles: '3',
      rubric: '',
      audience: 'all',
    });
    base = `/courses/${courseId}/tasks/${task.id}/submissions/team-${teamId}`;
    // The other team submits too, so the queue has two entries.
    const b = await signedIn(t.server, other.leader!);
    await submitWork(b, `/courses/${courseId}/tasks/${task.id}/submissions/team-${other.team.id}`, { files: [['k.pdf', Buffer.from('%PDF-1.7\n%%EOF')]] });
  });
  afterAll(() => t.close());

  const stored = () => {
    const dir = path.join(t.config.uploadDir, 'files');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };

  it('leaves neither a row nor a file when the database fails mid-upload', async () => {
    const before = stored();
    const page = await leader.get(base);
    const db = t.app.get(Database);
    const spy = jest.spyOn(db, 'tx').mockImplementationOnce(async () => {
      throw new Error('connection lost');
    });
    try {
      const res = await leader.post(`${base}/files`).field('_csrf', csrfFrom(page.text)).attach('file', Buffer.from('%PDF-1.7\n%%EOF'), 'a.pdf');
      expect(res.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(stored()).toEqual(before);
    expect(await t.db.repo(SubmissionFile).count()).toBe(1); // the other team's file only
  });

  it('refuses an oversized file at the field, keeping nothing', async () => {
    const page = await leader.get(base);
    const res = await leader
      .post(`${base}/files`)
      .field('_csrf', csrfFrom(page.text))
      .attach('file', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1.2 * 1024 * 1024, 0x20)]), 'big.pdf');
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('files may be at most 1 MB');
    expect(await t.db.repo(SubmissionFile).count()).toBe(1);
  });

  it('asks for a file when the task expects files and none is attached', async () => {
    const page = await leader.get(base);
    const res = await leader
      .post(`${base}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), note: '', revision: '0' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('The draft is empty');
  });

  it('filters the review queue by team and by lateness', async () => {
    const all = textOf((await fac.get('/reviews')).text);
    expect(all).toContain('1 submission waiting');
    expect(textOf((await fac.get(`/reviews?team=${teamId}`)).text)).toContain('Nothing is waiting for your feedback.');
    expect(textOf((await fac.get('/reviews?late=1')).text)).toContain('Nothing is waiting for your feedback.');
    expect(textOf((await fac.get('/reviews?status=submitted')).text)).toContain('Kenya');
  });

  it('links resources from a task and lets reviewers attach a file, seen by the team once released', async () => {
    const { Resource } = await import('../src/resources/resource.entity');
    const r = await t.db.tx((em) =>
      em.getRepository(Resource).save(
        em.getRepository(Resource).create({
          courseId,
          phaseId: null,
          title: 'Handbook chapter 3',
          kind: 'handbook_chapter',
          description: '',
          url: 'https://www.uil.unesco.org/en',
          fileKey: null,
          fileName: null,
          fileType: null,
          fileSize: null,
          fileSha256: null,
          createdById: null,
          createdAt: new Date(),
        }),
      ),
    );
    const task = await t.db.repo(Task).findOneByOrFail({ title: 'Annexes' });
    const edit = await fac.get(`/courses/${courseId}/tasks/${task.id}/edit`);
    expect(edit.text).toContain('Handbook chapter 3');
    const fields = {
      _csrf: csrfFrom(edit.text),
      version: edit.text.match(/name="version" value="(\d+)"/)![1],
      title: 'Annexes',
      phaseId: String(task.phaseId),
      kind: 'team',
      instructions: 'Read the chapter.',
      opensDay: '2024-09-01',
      opensTime: '09:00',
      dueDay: '2099-01-01',
      dueTime: '17:00',
      cutOffDay: '',
      cutOffTime: '',
      expectsFiles: 'on',
      allowedTypes: ['pdf', 'docx'],
      maxFiles: '3',
      rubric: '',
      audience: 'all',
      resourceIds: [String(r.id)],
    };
    const saved = await fac.post(`/courses/${courseId}/tasks/${task.id}/edit`).type('form').send(fields);
    expect(saved.status).toBe(303);
    expect(textOf((await leader.get(`/courses/${courseId}/tasks/${task.id}`)).text)).toContain('Resources for this task Handbook chapter 3');
    const bad = await fac
      .post(`/courses/${courseId}/tasks/${task.id}/edit`)
      .type('form')
      .send({ ...fields, version: String(Number(fields.version) + 1), resourceIds: ['999999'] });
    expect(textOf(bad.text)).toContain('Choose resources of this course.');

    // The Kenya team's submission gets a review with an annotated file.
    const kenya = (await fac.get('/reviews')).text.match(/href="([^"]+team-\d+)"/)![1];
    const form = await fac.get(`${kenya}/review`);
    const annotated = Buffer.from('%PDF-1.7\nannotated\n%%EOF');
    await fac
      .post(`${kenya}/review`)
      .field('_csrf', csrfFrom(form.text))
      .field('versionNumber', '1')
      .field('overall', 'See the annotated copy.')
      .field('decision', 'changes')
      .field('action', 'draft')
      .attach('file', annotated, 'annotated.pdf')
      .expect(303);
    const { ReviewFile } = await import('../src/submissions/submission.entity');
    const rf = await t.db.repo(ReviewFile).findOneByOrFail({ fileName: 'annotated.pdf' });
    const teamLeader = agent(t.server);
    const kenyaLeader = (await t.db
      .repo((await import('../src/teams/team-member.entity')).TeamMember)
      .findOne({ where: { teamRole: 'leader', team: { country: 'KE' } }, relations: { user: true, team: true } }))!;
    await signIn(teamLeader, kenyaLeader.user.email);
    await teamLeader.get(`${kenya}/reviews/${rf.reviewId}/files/${rf.id}`).expect(404); // not released yet
    await fac.get(`${kenya}/reviews/${rf.reviewId}/files/${rf.id}`).expect(200);
    const again = await fac.get(`${kenya}/review`);
    expect(textOf(again.text)).toContain('Already attached: annotated.pdf');
    await fac
      .post(`${kenya}/review`)
      .type('form')
      .send({ _csrf: csrfFrom(again.text), versionNumber: '1', overall: 'See the annotated copy.', decision: 'changes', action: 'release' })
      .expect(303);
    await teamLeader.get(`${kenya}/reviews/${rf.reviewId}/files/${rf.id}`).expect(200);
    expect((await teamLeader.get(kenya)).text).toContain('annotated.pdf');
    await leader.get(`${kenya}/reviews/${rf.reviewId}/files/${rf.id}`).expect(404); // another team
  });
  it('housekeeping keeps the file of every kind of row that names one, and sweeps the rest', async () => {
    const { FileStore } = await import('../src/files/file-store.service');
    const { FILE_KEY_TABLES, HousekeepingService } = await import('../src/housekeeping/housekeeping.service');
    // A resource file and a draft file, besides the version and review files made above.
    const lib = await fac.get(`/courses/${courseId}/resources/new`);
    await fac
      .post(`/courses/${courseId}/resources`)
      .field('_csrf', csrfFrom(lib.text))
      .field('title', 'Key features')
      .field('kind', 'publication')
      .field('description', '')
      .field('tags', '')
      .attach('file', Buffer.from('%PDF-1.7\nkey features\n%%EOF'), 'key-features.pdf')
      .expect(303);
    const page = await leader.get(base);
    await leader
      .post(`${base}/files`)
      .field('_csrf', csrfFrom(page.text))
      .attach('file', Buffer.from('%PDF-1.7\ndraft annex\n%%EOF'), 'draft-annex.pdf')
      .expect(303);

    const keysOf = async (table: string) =>
      (await t.db.manager.query<{ file_key: string }[]>(`SELECT file_key FROM ${table} WHERE file_key IS NOT NULL`)).map((r) => r.file_key);
    const dir = path.join(t.config.uploadDir, 'files');
    // The list the sweep reads is every table that has a file column: a new one cannot be forgotten.
    const withFiles = t.db.dataSource.entityMetadatas.filter((m) => m.columns.some((c) => c.databaseName === 'file_key')).map((m) => m.tableName);
    expect([...FILE_KEY_TABLES].sort()).toEqual([...new Set(withFiles)].sort());
    const perTable: Record<string, string[]> = {};
    for (const table of FILE_KEY_TABLES) {
      perTable[table] = await keysOf(table);
      expect({ table, rows: perTable[table].length > 0 }).toEqual({ table, rows: true });
    }
    // Everything is old enough to sweep; one file nothing names is added.
    const orphan = 'f'.repeat(32);
    fs.writeFileSync(path.join(dir, orphan), 'orphan');
    const old = new Date(Date.now() - 3 * 3600_000);
    for (const f of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, f), old, old);

    await t.app.get(FileStore).sweep(await t.app.get(HousekeepingService).referencedFileKeys());
    const left = new Set(stored());
    for (const [table, keys] of Object.entries(perTable))
      for (const key of keys) expect({ table, key, kept: left.has(key) }).toEqual({ table, key, kept: true });
    expect(left.has(orphan)).toBe(false);
  });
});
