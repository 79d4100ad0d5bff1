import { gzipSync } from 'node:zlib';
import { Course } from '../src/courses/course.entity';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo-seed';
import { Team } from '../src/teams/team.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { signIn } from './utils/factories';
import { type Agent, agent } from './utils/http';

/**
 * Pages stay light on slow links: the forms with a time-zone picker stay well under 30 KB of
 * HTML, and HTML is sent compressed to clients that accept it.
 */
describe('page weight', () => {
  let t: TestApp;
  let fac: Agent;
  let courseId: number;
  let teamId: number;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.db);
    const course = await t.db.repo(Course).findOneByOrFail({ title: 'Strengthening Education Systems from a Lifelong Learning Perspective' });
    courseId = course.id;
    teamId = (await t.db.repo(Team).findOneByOrFail({ courseId, country: 'VN' })).id;
    fac = agent(t.server);
    await signIn(fac, 'facilitator@atelier.example', DEMO_PASSWORD);
  }, 60_000);
  afterAll(() => t.close());

  const pages = () => ['/account', '/courses/new', `/courses/${courseId}/edit`, `/courses/${courseId}/teams`, `/courses/${courseId}/teams/${teamId}/edit`];

  it('keeps every form with a time-zone picker under 26.5 KB of HTML, the common zones first', async () => {
    const sizes: Record<string, number> = {};
    const html: Record<string, string> = {};
    for (const path of pages()) {
      const res = await fac.get(path).set('Accept-Encoding', 'identity').expect(200);
      sizes[path] = Buffer.byteLength(res.text);
      html[path] = res.text;
    }
    const gzipped = Object.fromEntries(Object.entries(html).map(([p, h]) => [p, gzipSync(h).length]));
    process.stdout.write(`page sizes (bytes): ${JSON.stringify(sizes)}; gzipped: ${JSON.stringify(gzipped)}\n`);
    for (const path of pages()) {
      // The zones most people need come first: the person's own, then the workshop's.
      const firstGroup = html[path].match(/<select[^>]*name="(?:timeZone)"[^>]*>[\s\S]*?<optgroup label="([^"]+)">([\s\S]*?)<\/optgroup>/);
      expect({ path, group: firstGroup?.[1] }).toEqual({ path, group: 'Suggested' });
      expect(firstGroup![2]).toContain('Asia/Shanghai');
    }
    // 26.5 KB: the workshop form (about 26.0 KB with its country list and picker) grew by the hidden empty value that names a checkbox group (decision 77); gzipped it is about 7.7 KB.
    for (const [path, size] of Object.entries(sizes)) expect({ path, size: size < 26_500 }).toEqual({ path, size: true });
  });

  it('sends HTML compressed when the client accepts gzip, and not otherwise', async () => {
    const plain = await fac.get('/account').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await fac.get('/account').set('Accept-Encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gz.text).toContain('<h1>Your account</h1>');
    const css = await fac.get('/public/css/site.css').set('Accept-Encoding', 'gzip').expect(200);
    expect(css.headers['content-encoding']).toBe('gzip');
  });
});
