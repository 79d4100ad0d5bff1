import { Phase } from '../src/courses/phase.entity';
import { Submission } from '../src/submissions/submission.entity';
import { Task } from '../src/tasks/task.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';

/** 02:30 on 30 March 2025 does not exist in Europe/Berlin (clocks go from 02:00 to 03:00). */
const SKIPPED = 'Error: 02:30 does not exist on 2025-03-30 in Europe/Berlin (the clocks change). Choose another time.';

describe('forms with a time skipped by a daylight-saving change', () => {
  let t: TestApp;
  let fac: Agent;
  let courseId: number;
  let phaseId: number;
  let inPersonId: number;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const { course, phases } = await createCourse(t.db, {
      timeZone: 'Europe/Berlin',
      venueCity: 'Hamburg',
      venueCountry: 'DE',
      startsOn: '2025-03-01',
      endsOn: '2025-05-31',
    });
    await t.db.tx(async (em) => {
      await em.getRepository(Phase).update({ id: phases[0].id }, { startsOn: '2025-03-01', endsOn: '2025-03-28' });
      await em.getRepository(Phase).update({ id: phases[1].id }, { startsOn: '2025-03-29', endsOn: '2025-04-02' });
      await em.getRepository(Phase).update({ id: phases[2].id }, { startsOn: '2025-04-03', endsOn: '2025-05-31' });
    });
    inPersonId = phases[1].id;
    courseId = course.id;
    phaseId = phases[0].id;
    const f = await createUser(t.db, { role: 'facilitator' });
    await addStaff(t.db, courseId, f.id, 'facilitator');
    const team = await createTeam(t.db, courseId);
    await addMember(t.db, team.id, (await createUser(t.db)).id, 'leader');
    fac = agent(t.server);
    await signIn(fac, f.email);
    const res = await submitForm(fac, `/courses/${courseId}/tasks/new`, `/courses/${courseId}/tasks`, {
      title: 'Action plan',
      phaseId: String(phaseId),
      kind: 'team',
      instructions: 'Plan.',
      opensDay: '2025-03-01',
      opensTime: '09:00',
      dueDay: '2025-03-28',
      dueTime: '17:00',
      cutOffDay: '',
      cutOffTime: '',
      expectsText: 'on',
      expectsFiles: '',
      maxFiles: '0',
      rubric: '',
      audience: 'all',
    });
    expect(res.status).toBe(303);
    const task = await t.db.repo(Task).findOneByOrFail({ title: 'Action plan' });
    base = `/courses/${courseId}/tasks/${task.id}/submissions/team-${team.id}`;
  });
  afterAll(() => t.close());

  it('an extension at 02:30 on the night clocks go forward: 422 with the message at the field, values kept, nothing stored', async () => {
    const page = await fac.get(base).expect(200);
    for (const [fields, field] of [
      [{ dueDay: '2025-03-30', dueTime: '02:30', cutOffDay: '', cutOffTime: '' }, 'dueTime'],
      [{ dueDay: '2025-03-29', dueTime: '17:00', cutOffDay: '2025-03-30', cutOffTime: '02:30' }, 'cutOffTime'],
    ] as const) {
      const res = await fac
        .post(`${base}/extension`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...fields });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`id="f-${field}-error">[^<]*<span[^>]*>Error:</span> 02:30 does not exist`));
      expect(textOf(res.text)).toContain(SKIPPED);
      expect(res.text).toContain('value="02:30"');
    }
    expect(await t.db.repo(Submission).count()).toBe(0);
    // The hour after the change exists: the extension is granted.
    await fac
      .post(`${base}/extension`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), dueDay: '2025-03-30', dueTime: '03:30', cutOffDay: '', cutOffTime: '' })
      .expect(303);
    expect((await t.db.repo(Submission).findOneByOrFail({})).dueAtOverride!.toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('the task form and the programme form give the same message', async () => {
    const task = await submitForm(fac, `/courses/${courseId}/tasks/new`, `/courses/${courseId}/tasks`, {
      title: 'Night task',
      phaseId: String(phaseId),
      kind: 'team',
      instructions: 'x',
      opensDay: '2025-03-01',
      opensTime: '09:00',
      dueDay: '2025-03-30',
      dueTime: '02:30',
      cutOffDay: '',
      cutOffTime: '',
      expectsText: 'on',
      expectsFiles: '',
      maxFiles: '0',
      rubric: '',
      audience: 'all',
    });
    expect(task.status).toBe(422);
    expect(textOf(task.text)).toContain(SKIPPED);
    const session = await submitForm(fac, `/courses/${courseId}/phases/${inPersonId}/sessions/new`, `/courses/${courseId}/phases/${inPersonId}/sessions`, {
      kind: 'plenary',
      title: 'Night plenary',
      room: 'Hall A',
      day: '2025-03-30',
      startTime: '02:30',
      endTime: '04:00',
      chairs: '',
      speakers: '',
      description: '',
    });
    expect(session.status).toBe(422);
    expect(textOf(session.text)).toContain(SKIPPED);
  });
});
