import * as yauzl from 'yauzl';
import { Submission, SubmissionMessage, SubmissionMessageEdit, SubmissionVersion, VersionFile } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, createUser, KENYA, signedIn, signIn, submitWork } from './utils/factories';
import { type Agent, agent, csrfFrom, textOf } from './utils/http';

/** The entries of a ZIP by name; `names` lists every entry in order, duplicates included. */
function readZip(buffer: Buffer, names: string[] = []): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a ZIP'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => names.push(entry.fileName));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream for a ZIP entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('sharing between teams, discussion, and bulk download', () => {
  let t: TestApp;
  let fac: Agent;
  let leaderA: Agent;
  let leaderB: Agent;
  let courseId: number;
  let taskId: number;
  let baseA: string;
  let baseB: string;
  let teamAId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, {
      facilitator: { name: 'Chen Jing' },
      teams: [
        { team: { country: 'VN' }, leader: { name: 'Lan' } },
        { team: KENYA, leader: { name: 'Wanjiru' } },
      ],
    });
    courseId = course.id;
    const [a, b] = teams.map((x) => x.team);
    teamAId = a.id;
    fac = await signedIn(t.server, facilitator);
    leaderA = await signedIn(t.server, teams[0].leader!);
    leaderB = await signedIn(t.server, teams[1].leader!);
    taskId = (
      await createTaskThroughApp(t.db, fac, courseId, {
        title: 'Country context analysis',
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
        maxFiles: '2',
        rubric: '',
        audience: 'all',
      })
    ).id;
    baseA = `/courses/${courseId}/tasks/${taskId}/submissions/team-${a.id}`;
    baseB = `/courses/${courseId}/tasks/${taskId}/submissions/team-${b.id}`;
    for (const [ag, base, text] of [
      [leaderA, baseA, '# Viet Nam\n\nContext, "quoted", with commas.'],
      [leaderB, baseB, '# Kenya\n\n=SUM(A1) context'],
    ] as const) {
      await submitWork(ag, base, { text, files: [['annex.pdf', Buffer.from(`%PDF-1.7\n${text}\n%%EOF`)]] });
    }
  });
  afterAll(() => t.close());

  it('keeps unshared work private (404) until the leader shares it; then the gallery shows it to other teams', async () => {
    await leaderB.get(baseA).expect(404);
    expect(textOf((await leaderB.get(`/courses/${courseId}/gallery`)).text)).toContain('Nothing has been shared yet.');
    const page = await leaderA.get(baseA);
    await leaderA
      .post(`${baseA}/versions/1/share`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), shared: '1' })
      .expect(303);
    const gallery = await leaderB.get(`/courses/${courseId}/gallery`).expect(200);
    const link = gallery.text.match(/href="(\/courses\/\d+\/gallery\/\d+)"/)![1];
    const shown = await leaderB.get(link).expect(200);
    expect(textOf(shown.text)).toContain('Context, "quoted", with commas.');
    const file = shown.text.match(/href="(\/courses\/\d+\/gallery\/\d+\/files\/\d+)"/)![1];
    await leaderB.get(file).expect(200);
    await leaderB.get(baseA).expect(404); // the submission page itself stays private
    // Only the leader of the team may share; and un-sharing removes it again.
    await leaderB
      .post(`${baseA}/versions/1/share`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), shared: '1' })
      .expect(403);
    expect(textOf(shown.text)).not.toContain('Stop sharing');
    // The sharing team can stop sharing from the gallery page too; both steps are in its timeline.
    const own = await leaderA.get(link).expect(200);
    const unshare = own.text.match(/<form method="post" action="([^"]+\/versions\/1\/share)"/)![1];
    expect(unshare).toBe(`${baseA}/versions/1/share`);
    expect(own.text).toContain('<input type="hidden" name="shared" value="0">');
    await leaderA
      .post(unshare)
      .type('form')
      .send({ _csrf: csrfFrom(own.text), shared: '0' })
      .expect(303);
    const timeline = textOf((await leaderA.get(baseA)).text);
    expect(timeline).toMatch(
      /Lan: Submitted \(Version 1 shared with the other teams \(gallery\)\).*Lan: Submitted \(Version 1 no longer shared with the other teams\)/,
    );
    await leaderB.get(link).expect(404);
    await leaderB.get(file).expect(404);
    const outsider = await createUser(t.db);
    const o = agent(t.server);
    await signIn(o, outsider.email);
    await o.get(`/courses/${courseId}/gallery`).expect(404);
  });

  it('holds a discussion between the team and its reviewers; edits keep the earlier wording', async () => {
    const page = await leaderA.get(baseA);
    await leaderA
      .post(`${baseA}/messages`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'Could you look at **section 2**?' })
      .expect(303);
    const fp = await fac.get(baseA);
    await fac
      .post(`${baseA}/messages`)
      .type('form')
      .send({ _csrf: csrfFrom(fp.text), body: 'Yes, tomorrow.' })
      .expect(303);
    const empty = await fac
      .post(`${baseA}/messages`)
      .type('form')
      .send({ _csrf: csrfFrom(fp.text), body: '  ' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain('Write a message before sending it.');
    const m = await t.db.repo(SubmissionMessage).findOneByOrFail({ body: 'Could you look at **section 2**?' });
    await leaderA
      .post(`${baseA}/messages/${m.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'Could you look at **section 3**?' })
      .expect(303);
    await fac
      .post(`${baseA}/messages/${m.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(fp.text), body: 'hijack' })
      .expect(404);
    expect(await t.db.repo(SubmissionMessageEdit).findOneByOrFail({ messageId: m.id })).toMatchObject({ body: 'Could you look at **section 2**?' });
    const shown = textOf((await fac.get(baseA)).text);
    expect(shown).toMatch(/Lan, .* \(edited\) Could you look at section 3 \?/);
    expect(shown).toContain('Earlier wording');
    expect(shown).toContain('Yes, tomorrow.');
    await leaderB
      .post(`${baseA}/messages`)
      .type('form')
      .send({ _csrf: csrfFrom((await leaderB.get(baseB)).text), body: 'peek' })
      .expect(404);
    // After the window, no more edits.
    await t.db.tx((em) => em.getRepository(SubmissionMessage).update({ id: m.id }, { createdAt: new Date(Date.now() - 16 * 60_000) }));
    const late = await leaderA
      .post(`${baseA}/messages/${m.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'too late' });
    expect(late.status).toBe(422);
    expect(textOf(late.text)).toContain('Messages can be edited for 15 minutes');
  });

  it('streams a ZIP of every team’s latest version with its files and a manifest', async () => {
    const res = await fac.get(`/courses/${courseId}/tasks/${taskId}/download.zip`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const entries = await readZip(res.body as Buffer);
    expect([...entries.keys()].sort()).toEqual(['Kenya/annex.pdf', 'Kenya/version-1.md', 'Viet Nam/annex.pdf', 'Viet Nam/version-1.md', 'manifest.csv']);
    expect(entries.get('Viet Nam/version-1.md')!.toString()).toContain('Context, "quoted", with commas.');
    expect(entries.get('Kenya/annex.pdf')!.toString()).toContain('%PDF-1.7');
    const manifest = entries
      .get('manifest.csv')!
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(manifest[0]).toBe('folder,team_or_person,version,submitted_at_utc,late,status,author,files');
    expect(
      manifest
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['Kenya', 'Viet Nam']);
    expect(manifest.find((l) => l.startsWith('Kenya'))).toContain('Submitted');
    await leaderA.get(`/courses/${courseId}/tasks/${taskId}/download.zip`).expect(404);
  });

  it('gives files that share a name unique names in the ZIP (ignoring case, as extraction does) and lists them in the manifest', async () => {
    const sub = await t.db.repo(Submission).findOneByOrFail({ taskId, teamId: teamAId });
    const version = await t.db.repo(SubmissionVersion).findOneByOrFail({ submissionId: sub.id, number: 1 });
    const { id: _id, ...annex } = await t.db.repo(VersionFile).findOneByOrFail({ versionId: version.id });
    await t.db.tx((em) =>
      em.getRepository(VersionFile).save([
        { ...annex, fileName: 'Annex.pdf' },
        { ...annex, fileName: 'annex.pdf' },
        { ...annex, fileName: 'version-1.md' },
      ]),
    );
    const res = await fac.get(`/courses/${courseId}/tasks/${taskId}/download.zip`).buffer(true).parse(binary);
    const names: string[] = [];
    const entries = await readZip(res.body as Buffer, names);
    expect(names.filter((n) => n.startsWith('Viet Nam/')).sort()).toEqual([
      'Viet Nam/Annex (2).pdf',
      'Viet Nam/annex (3).pdf',
      'Viet Nam/annex.pdf',
      'Viet Nam/version-1 (2).md',
      'Viet Nam/version-1.md',
    ]);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(entries.get('Viet Nam/annex (3).pdf')!.toString()).toContain('%PDF-1.7');
    expect(entries.get('Viet Nam/version-1.md')!.toString()).toContain('# Viet Nam');
    const manifest = entries.get('manifest.csv')!.toString('utf8').trim().split('\r\n');
    expect(manifest.find((l) => l.startsWith('Viet Nam'))).toMatch(/,annex\.pdf; Annex \(2\)\.pdf; annex \(3\)\.pdf; version-1 \(2\)\.md$/);
  });
});
