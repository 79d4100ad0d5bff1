import { jest } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Database } from '../src/database/database.service';
import { Resource, ResourceTag } from '../src/resources/resource.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

function storedFiles(t: TestApp): string[] {
  const dir = path.join(t.config.uploadDir, 'files');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
function tempFiles(t: TestApp): string[] {
  const dir = path.join(t.config.uploadDir, 'tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
/** Temporary uploads are removed as each response ends: allow a moment for the removal. */
async function expectNoTempFiles(t: TestApp) {
  for (let i = 0; i < 50 && tempFiles(t).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(tempFiles(t)).toEqual([]);
}

describe('course resources', () => {
  let t: TestApp;
  let a: Agent;
  let base: string;
  let courseId: number;
  let member: Agent;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_MB: '1' });
    const f = await createUser(t.db, { role: 'facilitator' });
    const { course } = await createCourse(t.db);
    courseId = course.id;
    base = `/courses/${courseId}/resources`;
    await addStaff(t.db, courseId, f.id, 'facilitator');
    a = agent(t.server);
    await signIn(a, f.email);
    const p = await createUser(t.db);
    await addMember(t.db, (await createTeam(t.db, courseId)).id, p.id);
    member = agent(t.server);
    await signIn(member, p.email);
  });
  afterAll(() => t.close());

  async function upload(fields: Record<string, string>, file?: { buffer: Buffer; name: string }, token?: string, beforePost?: () => void) {
    const page = await a.get(`${base}/new`);
    beforePost?.();
    let req = a.post(base).field('_csrf', token ?? csrfFrom(page.text));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach('file', file.buffer, file.name);
    return req;
  }

  it('adds a link with themes; members find it by search and by theme', async () => {
    const res = await submitForm(a, `${base}/new`, base, {
      title: 'Key Features of Learning Cities',
      kind: 'publication',
      description: 'The UNESCO framework.',
      url: 'https://www.uil.unesco.org/en/learning-cities',
      phaseId: '',
      tags: 'Key features of learning cities, SDG 11, sdg 11',
    });
    expect(res.status).toBe(303);
    const r = await t.db.repo(Resource).findOneByOrFail({ title: 'Key Features of Learning Cities' });
    expect((await t.db.repo(ResourceTag).findBy({ resourceId: r.id })).map((x) => x.tag).sort()).toEqual(['Key features of learning cities', 'SDG 11']);
    await submitForm(a, `${base}/new`, base, {
      title: 'Climate action webinar',
      kind: 'video',
      description: '',
      url: 'https://example.org/video',
      phaseId: '',
      tags: 'Climate action',
    });
    // Theme links carry their value encoded (a space is not allowed in a URL).
    const list = (await member.get(base).expect(200)).text;
    expect(list).toContain(`href="${base}?tag=SDG%2011"`);
    expect(list).toContain(`href="${base}?tag=Key%20features%20of%20learning%20cities"`);
    const byTag = textOf((await member.get(`${base}?tag=sdg%2011`).expect(200)).text.split('class="resource-list"')[1] ?? '');
    expect(byTag).toContain('Key Features of Learning Cities');
    expect(byTag).not.toContain('Climate action webinar');
    const bySearch = textOf((await member.get(`${base}?q=webinar`)).text.split('class="resource-list"')[1] ?? '');
    expect(bySearch).toContain('Climate action webinar');
    expect(bySearch).not.toContain('Key Features of Learning Cities');
    expect(textOf((await member.get(`${base}?q=nothing-like-this`)).text)).toContain('Nothing matches this search.');
  });

  it('uploads a PDF (type checked by content) and serves it only as an access-checked attachment', async () => {
    const res = await upload(
      { title: 'Making Lifelong Learning a Reality, ch. 3', kind: 'handbook_chapter', description: '', url: '', phaseId: '', tags: 'Governance' },
      { buffer: PDF, name: 'chapter-3.pdf' },
    );
    expect(res.status).toBe(303);
    const r = await t.db.repo(Resource).findOneByOrFail({ title: 'Making Lifelong Learning a Reality, ch. 3' });
    expect(r).toMatchObject({ fileName: 'chapter-3.pdf', fileType: 'application/pdf', fileSize: PDF.length });
    expect(r.fileSha256).toMatch(/^[a-f0-9]{64}$/);
    expect(storedFiles(t)).toContain(r.fileKey);
    await expectNoTempFiles(t);

    const dl = await member
      .get(`${base}/${r.id}/download`)
      .buffer(true)
      .parse((res2, cb) => {
        const chunks: Buffer[] = [];
        res2.on('data', (c: Buffer) => chunks.push(c));
        res2.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="chapter-3.pdf"; filename*=UTF-8''chapter-3.pdf`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(dl.body as Buffer, PDF)).toBe(0);

    // Not through any static route, and not for outsiders.
    await agent(t.server).get(`/public/../data/uploads/files/${r.fileKey}`).expect(404);
    const outsider = await createUser(t.db);
    const o = agent(t.server);
    await signIn(o, outsider.email);
    await o.get(`${base}/${r.id}/download`).expect(404);
    await agent(t.server).get(`${base}/${r.id}/download`).expect(303);
  });

  it('refuses a file whose content is not an accepted type, whatever its name, keeping the other values', async () => {
    const res = await upload(
      { title: 'Looks like a PDF', kind: 'file', description: 'Keep me', url: '', phaseId: '', tags: 'x' },
      { buffer: EXE, name: 'report.pdf' },
    );
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Atelier cannot tell what kind of file this is. Accepted: PDF, Word document');
    expect(res.text).toContain('value="Looks like a PDF"');
    expect(res.text).toContain('Keep me</textarea>');
    expect(await t.db.repo(Resource).countBy({ title: 'Looks like a PDF' })).toBe(0);
    await expectNoTempFiles(t);
  });

  it('refuses an oversized file with a message at the field, keeping the values and no file', async () => {
    const before = storedFiles(t).length;
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1.5 * 1024 * 1024, 0x20)]);
    const res = await upload({ title: 'Too big', kind: 'file', description: '', url: '', phaseId: '', tags: '' }, { buffer: big, name: 'big.pdf' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toMatch(/This file is 1\.5 MB; files may be at most 1 MB\./);
    expect(res.text).toContain('value="Too big"');
    expect(storedFiles(t).length).toBe(before);
    await expectNoTempFiles(t);
  });

  it('checks the CSRF token of a multipart form, leaving no file behind', async () => {
    const before = storedFiles(t).length;
    const res = await upload(
      { title: 'Forged', kind: 'file', description: '', url: '', phaseId: '', tags: '' },
      { buffer: PDF, name: 'x.pdf' },
      'forged-token',
    );
    expect(res.status).toBe(403);
    expect(await t.db.repo(Resource).countBy({ title: 'Forged' })).toBe(0);
    expect(storedFiles(t).length).toBe(before);
    await expectNoTempFiles(t);
  });

  it('asks for a link or a file, not neither or both', async () => {
    const neither = await upload({ title: 'Nothing', kind: 'link', description: '', url: '', phaseId: '', tags: '' });
    expect(textOf(neither.text)).toContain('Give a web address, or choose a file to upload.');
    const both = await upload(
      { title: 'Both', kind: 'file', description: '', url: 'https://example.org', phaseId: '', tags: '' },
      { buffer: PDF, name: 'a.pdf' },
    );
    expect(textOf(both.text)).toContain('Give either a web address or a file, not both.');
    await expectNoTempFiles(t);
  });

  it('keeps the upload atomic: when the row cannot be written, the stored file is removed too', async () => {
    const before = storedFiles(t);
    const db = t.app.get(Database);
    let spy: { mockRestore(): void } | undefined;
    try {
      // The page is opened first; then the database fails for the upload's transaction.
      const res = await upload(
        { title: 'Interrupted', kind: 'file', description: '', url: '', phaseId: '', tags: '' },
        { buffer: PDF, name: 'i.pdf' },
        undefined,
        () => {
          spy = jest.spyOn(db, 'tx').mockImplementationOnce(async () => {
            throw new Error('database went away mid-upload');
          });
        },
      );
      expect(res.status).toBe(500);
    } finally {
      spy?.mockRestore();
    }
    expect(await t.db.repo(Resource).countBy({ title: 'Interrupted' })).toBe(0);
    expect(storedFiles(t)).toEqual(before);
    await expectNoTempFiles(t);
  });

  it('replaces a file on edit (the old one is deleted) and removes a resource with its file', async () => {
    await upload(
      { title: 'Template v1', kind: 'template', description: '', url: '', phaseId: '', tags: '' },
      { buffer: Buffer.from('# Template\n'), name: 'template.md' },
    );
    const r = await t.db.repo(Resource).findOneByOrFail({ title: 'Template v1' });
    const oldKey = r.fileKey!;
    const page = await a.get(`${base}/${r.id}/edit`);
    const res = await a
      .post(`${base}/${r.id}/edit`)
      .field('_csrf', csrfFrom(page.text))
      .field('title', 'Template v2')
      .field('kind', 'template')
      .field('description', '')
      .field('url', '')
      .field('phaseId', '')
      .field('tags', 'Template')
      .attach('file', PDF, 'template.pdf');
    expect(res.status).toBe(303);
    const updated = await t.db.repo(Resource).findOneByOrFail({ id: r.id });
    expect(updated).toMatchObject({ title: 'Template v2', fileName: 'template.pdf' });
    expect(storedFiles(t)).not.toContain(oldKey);
    expect(storedFiles(t)).toContain(updated.fileKey);
    const del = await submitForm(a, `${base}/${r.id}/edit`, `${base}/${r.id}/delete`, {});
    expect(del.status).toBe(303);
    expect(storedFiles(t)).not.toContain(updated.fileKey);
    expect(await t.db.repo(Resource).countBy({ id: r.id })).toBe(0);
  });

  it('lets only facilitators of the course manage the library', async () => {
    await member.get(`${base}/new`).expect(404);
    const page = await member.get(base);
    const res = await member
      .post(base)
      .field('_csrf', csrfFrom(page.text))
      .field('title', 'Sneaky')
      .field('kind', 'link')
      .field('description', '')
      .field('url', 'https://example.org')
      .field('tags', '');
    expect(res.status).toBe(404);
    expect(await t.db.repo(Resource).countBy({ title: 'Sneaky' })).toBe(0);
    const r = await t.db.repo(Resource).findOneByOrFail({ title: 'Key Features of Learning Cities' });
    await member.get(`${base}/${r.id}/edit`).expect(404);
    await member
      .post(`${base}/${r.id}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(404);
    expect(page.text).not.toContain('Add a resource');
  });
});
