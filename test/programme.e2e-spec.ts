import ICAL from 'ical.js';
import { ProgrammeSession } from '../src/courses/programme-session.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, submitForm, textOf } from './utils/http';

const SESSION = {
  kind: 'plenary',
  title: 'Opening plenary',
  room: 'Hall A',
  day: '2024-10-21',
  startTime: '09:00',
  endTime: '10:30',
  chairs: 'Chen Jing',
  speakers: '',
  interpretationLanguages: ['zh', 'fr'],
  description: '',
};

describe('the in-person programme', () => {
  let t: TestApp;
  let a: Agent;
  let courseId: number;
  let inPersonId: number;
  let onlineId: number;
  let participant: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    const f = await createUser(t.db, { role: 'facilitator', timeZone: 'Europe/Berlin' });
    const { course, phases } = await createCourse(t.db, { interpretationLanguages: 'zh,fr' });
    courseId = course.id;
    onlineId = phases[0].id;
    inPersonId = phases[1].id;
    await addStaff(t.db, courseId, f.id, 'facilitator');
    a = agent(t.server);
    await signIn(a, f.email);
    const p = await createUser(t.db, { timeZone: 'Africa/Nairobi' });
    await addMember(t.db, (await createTeam(t.db, courseId)).id, p.id);
    participant = agent(t.server);
    await signIn(participant, p.email);
  });
  afterAll(() => t.close());

  const add = (fields: Record<string, unknown>, phaseId = inPersonId) =>
    submitForm(a, `/courses/${courseId}/phases/${phaseId}/sessions/new`, `/courses/${courseId}/phases/${phaseId}/sessions`, { ...SESSION, ...fields });

  it('stores sessions typed in the venue’s zone as UTC and shows them day by day', async () => {
    expect((await add({})).status).toBe(303);
    expect(
      (await add({ kind: 'break', title: 'Coffee break', room: '', startTime: '10:30', endTime: '11:00', chairs: '', interpretationLanguages: [] })).status,
    ).toBe(303);
    expect(
      (await add({ kind: 'site_visit', title: 'Site visit', room: '', day: '2024-10-23', startTime: '09:00', endTime: '16:00', interpretationLanguages: [] }))
        .status,
    ).toBe(303);
    const s = await t.db.repo(ProgrammeSession).findOneByOrFail({ title: 'Opening plenary' });
    expect(s.startsAt.toISOString()).toBe('2024-10-21T01:00:00.000Z');
    expect(s.endsAt.toISOString()).toBe('2024-10-21T02:30:00.000Z');

    const page = await participant.get(`/courses/${courseId}/programme`).expect(200);
    const text = textOf(page.text);
    expect(text).toContain("All times are in the venue's time zone, Asia/Shanghai (yours is Africa/Nairobi");
    expect(text).toMatch(/Mon 21 Oct 2024 .*09:00 – 10:30.*Opening plenary.*Hall A.*Chairs: Chen Jing.*Chinese, French/);
    expect(text).toContain('Mon 21 Oct 2024, 04:00 (Africa/Nairobi)');
    expect(text).toMatch(/Wed 23 Oct 2024 .*Site visit/);
    expect(text).toMatch(/Tue 22 Oct 2024 Nothing scheduled yet/);
    expect(page.text).not.toContain('/sessions/'); // no edit links for participants
  });

  it('offers interpretation only into the workshop’s languages, and shows speakers one per line as typed', async () => {
    const form = await a.get(`/courses/${courseId}/phases/${inPersonId}/sessions/new`).expect(200);
    expect(form.text.match(/name="interpretationLanguages" value="[a-z]+"/g)).toEqual([
      'name="interpretationLanguages" value="fr"',
      'name="interpretationLanguages" value="zh"',
    ]);
    const refused = await add({ title: 'Spanish panel', room: 'Hall C', startTime: '14:00', endTime: '15:00', interpretationLanguages: ['es'] });
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain(
      "The workshop offers interpretation in Chinese, French only. Add other languages on the workshop's details page first.",
    );
    expect(await t.db.repo(ProgrammeSession).countBy({ title: 'Spanish panel' })).toBe(0);

    expect(
      (
        await add({
          title: 'Panel of ministers',
          room: 'Hall C',
          startTime: '14:00',
          endTime: '15:00',
          speakers: 'Minister of Education, Viet Nam\r\nMinister of Education, Kenya',
          interpretationLanguages: [],
        })
      ).status,
    ).toBe(303);
    const page = await participant.get(`/courses/${courseId}/programme`).expect(200);
    expect(page.text).toContain('<span class="pre-line">Speakers: Minister of Education, Viet Nam\r\nMinister of Education, Kenya</span>');
    const s = await t.db.repo(ProgrammeSession).findOneByOrFail({ title: 'Panel of ministers' });
    expect((await submitForm(a, `/courses/${courseId}/sessions/${s.id}/edit`, `/courses/${courseId}/sessions/${s.id}/delete`, {})).status).toBe(303);
  });

  it('refuses two sessions in one room at the same time, naming the clash', async () => {
    const res = await add({ title: 'Clashing round table', startTime: '10:00', endTime: '11:00', room: ' hall a ' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('hall a is already booked for “Opening plenary” from 09:00 to 10:30.');
    expect(res.text).toContain('value="Clashing round table"');
    expect(await t.db.repo(ProgrammeSession).countBy({ title: 'Clashing round table' })).toBe(0);
    expect((await add({ title: 'Other room', startTime: '10:00', endTime: '11:00', room: 'Hall B' })).status).toBe(303);
    expect((await add({ title: 'Right after', startTime: '10:30', endTime: '11:00', room: 'Hall A' })).status).toBe(303);
  });

  it('refuses an end before the start, a day outside the phase, an online phase, bad times', async () => {
    const backwards = await add({ title: 'Backwards', startTime: '11:00', endTime: '10:00', room: 'Hall C' });
    expect(textOf(backwards.text)).toContain('The session must end after it starts');
    const outside = await add({ title: 'Outside', day: '2024-10-28', room: 'Hall C' });
    expect(textOf(outside.text)).toContain('Choose a day of the phase “In-person week”');
    const online = await add({ title: 'Online', room: 'Hall C', day: '2024-10-01' }, onlineId);
    expect(textOf(online.text)).toContain('Programme sessions belong to an in-person phase.');
    const badTime = await add({ title: 'Bad time', startTime: '9am', room: 'Hall C' });
    expect(textOf(badTime.text)).toContain('Enter the start time as hours and minutes');
    expect(await t.db.repo(ProgrammeSession).countBy({ room: 'Hall C' })).toBe(0);
  });

  it('edits and removes a session', async () => {
    const s = await t.db.repo(ProgrammeSession).findOneByOrFail({ title: 'Other room' });
    const res = await submitForm(a, `/courses/${courseId}/sessions/${s.id}/edit`, `/courses/${courseId}/sessions/${s.id}/edit`, {
      ...SESSION,
      title: 'Renamed',
      room: 'Hall B',
      startTime: '14:00',
      endTime: '15:00',
      interpretationLanguages: [],
    });
    expect(res.status).toBe(303);
    expect((await t.db.repo(ProgrammeSession).findOneByOrFail({ id: s.id })).title).toBe('Renamed');
    const del = await submitForm(a, `/courses/${courseId}/sessions/${s.id}/edit`, `/courses/${courseId}/sessions/${s.id}/delete`, {});
    expect(del.status).toBe(303);
    expect(await t.db.repo(ProgrammeSession).countBy({ id: s.id })).toBe(0);
    await participant
      .get(`/courses/${courseId}/sessions/${(await t.db.repo(ProgrammeSession).findOneByOrFail({ title: 'Opening plenary' })).id}/edit`)
      .expect(404);
  });

  it('downloads as an .ics calendar that an independent parser reads with the venue’s TZID', async () => {
    const res = await participant.get(`/courses/${courseId}/programme.ics`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    const text = res.text ?? (res.body as Buffer).toString();
    const cal = new ICAL.Component(ICAL.parse(text));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    expect(cal.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
    const events = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    const opening = events.find((e) => e.summary === 'Opening plenary')!;
    expect(opening.startDate.toJSDate().toISOString()).toBe('2024-10-21T01:00:00.000Z');
    expect(opening.startDate.zone?.tzid).toBe('Asia/Shanghai');
    expect(opening.location).toBe('Hall A, Guoshun Campus, Shanghai');
    expect(events.length).toBe(await t.db.repo(ProgrammeSession).count());
  });

  it('handles a venue with a daylight-saving change in the week (Hamburg, 27 Oct 2024)', async () => {
    const f = await createUser(t.db, { role: 'facilitator' });
    const { course, phases } = await createCourse(t.db, { timeZone: 'Europe/Berlin', venueCity: 'Hamburg' });
    await addStaff(t.db, course.id, f.id, 'facilitator');
    const b = agent(t.server);
    await signIn(b, f.email);
    // Stretch the in-person phase over the change.
    const { Phase } = await import('../src/courses/phase.entity');
    await t.db.tx((em) => em.getRepository(Phase).update({ id: phases[2].id }, { startsOn: '2024-10-29' }));
    await t.db.tx((em) => em.getRepository(Phase).update({ id: phases[1].id }, { endsOn: '2024-10-28' }));
    const url = `/courses/${course.id}/phases/${phases[1].id}/sessions`;
    const page = `/courses/${course.id}/phases/${phases[1].id}/sessions/new`;
    expect((await submitForm(b, page, url, { ...SESSION, day: '2024-10-25', startTime: '10:00', endTime: '11:00', interpretationLanguages: [] })).status).toBe(
      303,
    );
    expect((await submitForm(b, page, url, { ...SESSION, day: '2024-10-28', startTime: '10:00', endTime: '11:00', interpretationLanguages: [] })).status).toBe(
      303,
    );
    const rows = await t.db.repo(ProgrammeSession).find({ where: { phaseId: phases[1].id }, order: { startsAt: 'ASC' } });
    expect(rows.map((r) => r.startsAt.toISOString())).toEqual(['2024-10-25T08:00:00.000Z', '2024-10-28T09:00:00.000Z']);
    // 02:30 happens twice on 27 Oct (clocks go back at 03:00): the first occurrence is meant.
    const twice = await submitForm(b, page, url, {
      ...SESSION,
      title: 'Night session',
      day: '2024-10-27',
      startTime: '02:30',
      endTime: '04:00',
      room: 'Hall Z',
      interpretationLanguages: [],
    });
    expect(twice.status).toBe(303);
    const night = await t.db.repo(ProgrammeSession).findOneByOrFail({ title: 'Night session' });
    expect(night.startsAt.toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(night.endsAt.toISOString()).toBe('2024-10-27T03:00:00.000Z'); // 04:00 CET
  });
});
