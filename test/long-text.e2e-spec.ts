import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { getMetadataStorage } from 'class-validator';
import { bodyLimitOf } from '../src/common/request-body';
import { declaredRoutes } from '../src/common/routes';
import { Submission } from '../src/submissions/submission.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createCourseWithTeams, createTaskThroughApp, signedIn } from './utils/factories';
import { type Agent, csrfFrom, textOf } from './utils/http';

/** Chinese text of exactly `length` characters, in paragraphs (line breaks as LF). */
function chinese(length: number, marker = ''): string {
  const paragraph = '终身学习型城市的建设需要政府、社区、学校与企业共同参与，确保每个人在各个年龄阶段都能获得学习机会。';
  let text = '';
  while (text.length < length) text += `${paragraph.repeat(6)}\n\n`;
  return text.slice(0, length - marker.length) + marker;
}

/** Bytes a form needs at most for a text field of n characters, URL-encoded: a character in the Basic Multilingual Plane is up to 3 bytes of UTF-8, each sent as %XX. */
const urlEncodedBytes = (characters: number) => characters * 9;

describe('long texts: the documented 200,000-character draft', () => {
  let t: TestApp;
  let leader: Agent;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases, facilitator, teams } = await createCourseWithTeams(t.db, {
      teams: [{ team: { country: 'CN', region: 'asia-pacific', timeZone: 'Asia/Shanghai' }, leader: {} }],
    });
    const fac = await signedIn(t.server, facilitator);
    leader = await signedIn(t.server, teams[0].leader!);
    const task = await createTaskThroughApp(t.db, fac, course.id, {
      title: 'Learning city strategy',
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
      expectsFiles: '',
      allowedTypes: ['pdf'],
      maxFiles: '0',
      rubric: '',
      audience: 'all',
    });
    base = `/courses/${course.id}/tasks/${task.id}/submissions/team-${teams[0].team.id}`;
  });
  afterAll(() => t.close());

  async function saveDraft(text: string) {
    const page = await leader.get(base);
    const revision = page.text.match(/name="revision" value="(\d+)"/)![1];
    // As a browser sends a textarea: line breaks as CRLF, URL-encoded.
    return leader
      .post(`${base}/draft`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: text.replace(/\n/g, '\r\n'), revision, action: 'save' });
  }

  it('saves a 200,000-character Chinese draft with paragraphs and reads it back unchanged', async () => {
    const text = chinese(200_000, '——草稿结束');
    expect(text.length).toBe(200_000);
    const res = await saveDraft(text);
    expect(res.status).toBe(303);
    const stored = await t.db.repo(Submission).findOneByOrFail({});
    expect(stored.draftText.length).toBe(200_000);
    expect(stored.draftText).toBe(text);
    const page = await leader.get(base).expect(200);
    expect(page.text).toContain('——草稿结束</textarea>');
  });

  it('brings the form back with the text kept when a draft is over 200,000 characters', async () => {
    const text = chinese(200_050, '——多出五十个字');
    const res = await saveDraft(text);
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('The text is longer than 200,000 characters. Attach long documents as files.');
    expect(res.text).toContain('——多出五十个字</textarea>');
    expect((await t.db.repo(Submission).findOneByOrFail({})).draftText).toBe(chinese(200_000, '——草稿结束'));
  });

  it('explains a body too large to read (413): nothing saved, and the limit', async () => {
    const res = await saveDraft(chinese(400_000));
    expect(res.status).toBe(413);
    const page = textOf(res.text);
    expect(page).toMatch(/What you sent \(\d+\.\d MB\) is larger than Atelier accepts here \(2\.4 MB\)\. Nothing was saved\./);
    expect(page).toContain('what you typed is usually still in the form');
    expect((await t.db.repo(Submission).findOneByOrFail({})).draftText).toBe(chinese(200_000, '——草稿结束'));
  });

  it('keeps other forms to the small default limit', async () => {
    const page = await leader.get(base);
    const res = await leader
      .post(`${base}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), note: '字'.repeat(20_000), revision: '1' });
    expect(res.status).toBe(413);
    expect(textOf(res.text)).toContain('larger than Atelier accepts here (100 kB)');
  });

  it('gives every form a body limit that fits the longest texts its fields accept', () => {
    const tooSmall: string[] = [];
    for (const route of declaredRoutes(t.app).filter((r) => r.method !== 'GET')) {
      const name = route.name;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, name) ?? {}) as Record<string, { index: number }>;
      const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype as object, name) ?? []) as (new () => unknown)[];
      const bodyArg = Object.entries(args).find(([key]) => key.startsWith('3:')); // RouteParamtypes.BODY
      if (!bodyArg) continue;
      const dto = types[bodyArg[1].index];
      const longest = getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .filter((m) => m.name === 'maxLength' && !m.each)
        .reduce((sum, m) => sum + Number(m.constraints[0]), 0);
      const need = urlEncodedBytes(longest) + 8 * 1024;
      if (need > bodyLimitOf(route.handler)) tooSmall.push(`${route.method} ${route.path}: needs ${need} bytes, limit ${bodyLimitOf(route.handler)}`);
    }
    expect(tooSmall).toEqual([]);
  });
});
