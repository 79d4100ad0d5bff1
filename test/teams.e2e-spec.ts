import { Course } from '../src/courses/course.entity';
import { CourseMember } from '../src/courses/course-member.entity';
import { Invitation } from '../src/invitations/invitation.entity';
import { Team } from '../src/teams/team.entity';
import { TeamExpert } from '../src/teams/team-expert.entity';
import { TeamMember } from '../src/teams/team-member.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { addMember, addStaff, createCourse, createTeam, createUser, signIn } from './utils/factories';
import { type Agent, agent, csrfFrom, submitForm, textOf } from './utils/http';
import { linkIn } from './utils/mail-catcher';

describe('country teams', () => {
  let t: TestApp;
  let a: Agent;
  let courseId: number;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const f = await createUser(t.db, { role: 'facilitator', name: 'Chen Jing' });
    const { course } = await createCourse(t.db);
    courseId = course.id;
    base = `/courses/${courseId}`;
    await addStaff(t.db, courseId, f.id, 'facilitator');
    a = agent(t.server);
    await signIn(a, f.email);
  });
  afterAll(() => t.close());

  it('creates a team, refusing an unknown country or zone and a duplicate', async () => {
    const ok = await submitForm(a, `${base}/teams`, `${base}/teams`, {
      country: 'VN',
      city: 'Hue',
      region: 'asia-pacific',
      deliverable: 'learning_city_strategy',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(ok.status).toBe(303);
    const team = await t.db.repo(Team).findOneByOrFail({ courseId, city: 'Hue' });
    expect(ok.headers.location).toBe(`${base}/teams/${team.id}`);
    const bad = await submitForm(a, `${base}/teams`, `${base}/teams`, {
      country: 'ZZ',
      city: '',
      region: 'moon',
      deliverable: 'poem',
      timeZone: 'Asia/Atlantis',
    });
    expect(bad.status).toBe(422);
    const text = textOf(bad.text);
    for (const m of [
      'Choose the Member State from the list.',
      'Choose a region from the list.',
      'Choose what the team develops.',
      'Choose the time zone the team works in from the list.',
    ])
      expect(text).toContain(m);
    const dup = await submitForm(a, `${base}/teams`, `${base}/teams`, {
      country: 'VN',
      city: 'Hue',
      region: 'asia-pacific',
      deliverable: 'policy',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(dup.status).toBe(422);
    expect(textOf(dup.text)).toContain('Viet Nam — Hue already has a team in this course.');
    expect(await t.db.repo(Team).countBy({ courseId })).toBe(1);
  });

  it('adds an existing account at once; one leader per team; one team per workshop unless a facilitator allows a second', async () => {
    const team = await createTeam(t.db, courseId, { country: 'KH', timeZone: 'Asia/Phnom_Penh' });
    const other = await createTeam(t.db, courseId, { country: 'MN', timeZone: 'Asia/Ulaanbaatar' });
    const leader = await createUser(t.db, { name: 'Sokha Chea' });
    const second = await createUser(t.db, { name: 'Dara Sok' });
    const page = `${base}/teams/${team.id}`;
    expect(
      (
        await submitForm(a, page, `${page}/members`, {
          email: leader.email.toUpperCase(),
          teamRole: 'leader',
          position: 'policymaker',
          level: 'national',
          message: '',
        })
      ).status,
    ).toBe(303);
    expect(textOf((await a.get(page)).text)).toContain('Sokha Chea has joined the team.');

    const two = await submitForm(a, page, `${page}/members`, {
      email: second.email,
      teamRole: 'leader',
      position: 'researcher',
      level: 'national',
      message: '',
    });
    expect(two.status).toBe(422);
    expect(textOf(two.text)).toContain('Sokha Chea already leads this team. Make them a member first; a team has one leader.');
    expect(two.text).toContain(`value="${second.email}"`);
    expect(await t.db.repo(TeamMember).countBy({ teamId: team.id })).toBe(1);

    expect(
      (await submitForm(a, page, `${page}/members`, { email: second.email, teamRole: 'member', position: 'researcher', level: 'municipal', message: '' }))
        .status,
    ).toBe(303);
    const again = await submitForm(a, page, `${page}/members`, {
      email: second.email,
      teamRole: 'member',
      position: 'researcher',
      level: 'municipal',
      message: '',
    });
    expect(textOf(again.text)).toContain('Dara Sok is already in this team.');
    // Another team of the same workshop: refused with a message at the override box, unless it is ticked.
    const otherPage = `${base}/teams/${other.id}`;
    const twice = await submitForm(a, otherPage, `${otherPage}/members`, {
      email: second.email,
      teamRole: 'leader',
      position: 'policymaker',
      level: 'national',
      message: '',
    });
    expect(twice.status).toBe(422);
    expect(textOf(twice.text)).toContain(
      'Dara Sok is already in the Cambodia team of this workshop. A person is in one team per workshop; to add them to this team as well, tick “Allow a second team”.',
    );
    expect(twice.text).toContain('<a href="#f-allowOtherTeam">');
    expect(await t.db.repo(TeamMember).countBy({ teamId: other.id })).toBe(0);
    const allowed = await submitForm(a, otherPage, `${otherPage}/members`, {
      email: second.email,
      teamRole: 'leader',
      position: 'policymaker',
      level: 'national',
      message: '',
      allowOtherTeam: 'on',
    });
    expect(allowed.status).toBe(303);
    const facId = (await t.db.repo(CourseMember).findOneByOrFail({ courseId, role: 'facilitator' })).userId;
    expect(await t.db.repo(TeamMember).findOneByOrFail({ teamId: other.id, userId: second.id })).toMatchObject({
      otherTeamAllowedById: facId,
      otherTeamAllowedAt: expect.any(Date),
    });
    expect(textOf((await a.get(otherPage)).text)).toContain('Also in another team of this workshop: allowed by Chen Jing');
    // A team of another workshop does not count.
    const { course: elsewhere } = await createCourse(t.db, { title: 'Another workshop' });
    await addStaff(t.db, elsewhere.id, facId, 'facilitator');
    const there = await createTeam(t.db, elsewhere.id, { country: 'KH' });
    expect(
      (
        await submitForm(a, `/courses/${elsewhere.id}/teams/${there.id}`, `/courses/${elsewhere.id}/teams/${there.id}/members`, {
          email: second.email,
          teamRole: 'member',
          position: 'policymaker',
          level: 'national',
          message: '',
        })
      ).status,
    ).toBe(303);
    expect(await t.db.repo(TeamMember).findOneByOrFail({ teamId: there.id, userId: second.id })).toMatchObject({ otherTeamAllowedById: null });

    const secondRow = await t.db.repo(TeamMember).findOneByOrFail({ teamId: team.id, userId: second.id });
    const promote = await submitForm(a, page, `${page}/members/${secondRow.id}`, { teamRole: 'leader', position: 'researcher', level: 'municipal' });
    expect(promote.status).toBe(422);
    expect(textOf(promote.text)).toContain('already leads this team');
    const leaderRow = await t.db.repo(TeamMember).findOneByOrFail({ teamId: team.id, userId: leader.id });
    expect((await submitForm(a, page, `${page}/members/${leaderRow.id}`, { teamRole: 'member', position: 'policymaker', level: 'national' })).status).toBe(303);
    expect((await submitForm(a, page, `${page}/members/${secondRow.id}`, { teamRole: 'leader', position: 'researcher', level: 'municipal' })).status).toBe(303);
    expect(await t.db.repo(TeamMember).findOneByOrFail({ id: secondRow.id })).toMatchObject({ teamRole: 'leader', level: 'municipal' });

    expect((await submitForm(a, page, `${page}/members/${leaderRow.id}/remove`, {})).status).toBe(303);
    expect(await t.db.repo(TeamMember).countBy({ teamId: team.id })).toBe(1);
    expect(await t.db.repo(User).countBy({ id: leader.id })).toBe(1);
  });

  it('takes only participants into teams: experts advise, facilitators run the workshop', async () => {
    const team = await createTeam(t.db, courseId, { country: 'LA', timeZone: 'Asia/Vientiane' });
    const page = `${base}/teams/${team.id}`;
    const expert = await createUser(t.db, { role: 'expert', name: 'Raúl Valdés' });
    const facilitator = await createUser(t.db, { role: 'facilitator', name: 'Fatou Ndiaye' });
    const asExpert = await submitForm(a, page, `${page}/members`, {
      email: expert.email,
      teamRole: 'leader',
      position: 'policymaker',
      level: 'national',
      message: '',
    });
    expect(asExpert.status).toBe(422);
    expect(textOf(asExpert.text)).toContain(
      'Raúl Valdés is an expert on Atelier; team leaders and members are participants. Add experts on the workshop’s People page, then assign them to this team as advisers.',
    );
    expect(asExpert.text).toContain(`value="${expert.email}"`);
    const asFacilitator = await submitForm(a, page, `${page}/members`, {
      email: facilitator.email,
      teamRole: 'member',
      position: 'policymaker',
      level: 'national',
      message: '',
    });
    expect(textOf(asFacilitator.text)).toContain('Fatou Ndiaye has the facilitator role on Atelier; team leaders and members are participants.');
    expect(await t.db.repo(TeamMember).countBy({ teamId: team.id })).toBe(0);
    // The team forms say what their zone picker is for.
    const forms = (await a.get(`${base}/teams`)).text + (await a.get(`${page}/edit`)).text;
    expect(forms).toContain('<option value="">Choose the team’s time zone</option>');
    expect(forms).not.toContain('Choose your time zone');
  });

  it('invites a new person straight into the team; accepting makes them a member', async () => {
    const team = await createTeam(t.db, courseId, { country: 'NP', city: 'Pokhara', timeZone: 'Asia/Kathmandu' });
    const page = `${base}/teams/${team.id}`;
    const res = await submitForm(a, page, `${page}/members`, {
      email: 'sita.gurung@pokhara.gov.np',
      teamRole: 'leader',
      position: 'policymaker',
      level: 'municipal',
      message: 'Welcome to the Pokhara team.',
    });
    expect(res.status).toBe(303);
    const shown = textOf((await a.get(page)).text);
    expect(shown).toContain('sita.gurung@pokhara.gov.np has no account yet: an invitation has been sent.');
    expect(shown).toMatch(/Invited, not yet joined sita\.gurung@pokhara\.gov\.np/);
    const inv = await t.db.repo(Invitation).findOneByOrFail({ email: 'sita.gurung@pokhara.gov.np' });
    expect(inv).toMatchObject({ role: 'participant', teamId: team.id, teamRole: 'leader', teamPosition: 'policymaker', teamLevel: 'municipal' });
    const mail = await t.mail.last('sita.gurung@pokhara.gov.np');
    expect(mail.text).toContain('You will join the Nepal — Pokhara team in “Empowering Cities');

    const link = linkIn(mail, '/invite/');
    const b = agent(t.server);
    const form = await b.get(link);
    await b
      .post(link)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        name: 'Sita Gurung',
        timeZone: 'Asia/Kathmandu',
        language: 'en',
        password: 'phewa lake morning',
        confirmPassword: 'phewa lake morning',
      })
      .expect(303);
    const user = await t.db.repo(User).findOneByOrFail({ email: 'sita.gurung@pokhara.gov.np' });
    expect(await t.db.repo(TeamMember).findOneByOrFail({ teamId: team.id, userId: user.id })).toMatchObject({
      teamRole: 'leader',
      position: 'policymaker',
      level: 'municipal',
    });
    await b.get(page).expect(200);
    expect(textOf((await b.get(base)).text)).toContain('you lead this team');
  });

  it('names the workshop, team and role everywhere an invitation into a team of an unpublished workshop shows', async () => {
    const { course: draft } = await createCourse(t.db, {
      title: 'Learning Cities Academy 2027',
      status: 'draft',
      startsOn: '2027-03-01',
      endsOn: '2027-05-31',
    });
    const fac = await t.db.repo(CourseMember).findOneByOrFail({ courseId, role: 'facilitator' });
    await addStaff(t.db, draft.id, fac.userId, 'facilitator');
    const team = await createTeam(t.db, draft.id, { country: 'ZW', city: 'Harare', region: 'africa', timeZone: 'Africa/Harare' });
    const page = `/courses/${draft.id}/teams/${team.id}`;
    expect(
      (
        await submitForm(a, page, `${page}/members`, {
          email: 'tendai.moyo@harare.gov.zw',
          teamRole: 'leader',
          position: 'policymaker',
          level: 'municipal',
          message: '',
        })
      ).status,
    ).toBe(303);

    // The facilitator's list of invitations says what each one is for.
    expect(textOf((await a.get('/invitations')).text)).toMatch(
      /tendai\.moyo@harare\.gov\.zw Participant Zimbabwe — Harare team \(Team leader\), “Learning Cities Academy 2027” pending/,
    );

    // The invitee's page names the workshop, its dates, the team and the leader role.
    const link = linkIn(await t.mail.last('tendai.moyo@harare.gov.zw'), '/invite/');
    const b = agent(t.server);
    const form = await b.get(link).expect(200);
    const text = textOf(form.text).replace(/ ([.,])/g, '$1');
    expect(text).toContain(
      'has invited you to Atelier with the role Participant, to join the Zimbabwe — Harare team as team leader in the workshop “Learning Cities Academy 2027” (1 Mar 2027 – 31 May 2027).',
    );
    expect(text).toContain('As team leader you coordinate the team’s work and submit its drafts for review.');
    expect(text).toContain('The facilitators are still preparing the workshop');
    // The team's and the venue's zones are offered first.
    expect(form.text).toMatch(/<optgroup label="Suggested"><option>Africa\/Harare<option>Asia\/Shanghai<\/optgroup>/);

    // Once in, the home page says which workshop they are in and that it opens when published.
    await b
      .post(link)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        name: 'Tendai Moyo',
        timeZone: 'Africa/Harare',
        language: 'en',
        password: 'msasa tree granite',
        confirmPassword: 'msasa tree granite',
      })
      .expect(303);
    const home = textOf((await b.get('/dashboard')).text);
    expect(home).not.toContain('You have not been added to a workshop yet');
    expect(home).toContain('Coming up Learning Cities Academy 2027');
    expect(home).toContain(
      'You are in the Zimbabwe — Harare team, as team leader. The facilitators are still preparing this workshop; it opens here when they publish it.',
    );
    // Published, it is an ordinary workshop on the list.
    await t.db.tx((em) => em.getRepository(Course).update({ id: draft.id }, { status: 'published' }));
    const after = textOf((await b.get('/dashboard')).text);
    expect(after).not.toContain('Coming up');
    expect(after).toContain('Your workshops Learning Cities Academy 2027');
  });

  it('attaches experts to the course and assigns them to teams', async () => {
    const team = await createTeam(t.db, courseId, { country: 'LK', city: 'Kandy', timeZone: 'Asia/Colombo' });
    const expert = await createUser(t.db, { role: 'expert', name: 'Raúl Valdés' });
    const participant = await createUser(t.db, { role: 'participant', name: 'Not An Expert' });
    const people = `${base}/people`;
    const notExpert = await submitForm(a, people, people, { email: participant.email, role: 'expert' });
    expect(notExpert.status).toBe(422);
    expect(textOf(notExpert.text)).toContain('Not An Expert is participant on Atelier');
    const unknown = await submitForm(a, people, people, { email: 'nobody@example.org', role: 'expert' });
    expect(textOf(unknown.text)).toContain('No Atelier account uses this address. Invite the person first');
    expect((await submitForm(a, people, people, { email: expert.email, role: 'expert' })).status).toBe(303);
    expect(textOf((await submitForm(a, people, people, { email: expert.email, role: 'expert' })).text)).toContain(
      'Raúl Valdés is already part of this course.',
    );

    const page = `${base}/teams/${team.id}`;
    const notStaff = await submitForm(a, page, `${page}/experts`, { userId: String(participant.id) });
    expect(textOf(notStaff.text)).toContain('Choose one of the course’s experts.');
    expect((await submitForm(a, page, `${page}/experts`, { userId: String(expert.id) })).status).toBe(303);
    expect(await t.db.repo(TeamExpert).countBy({ teamId: team.id, userId: expert.id })).toBe(1);
    const e = agent(t.server);
    await signIn(e, expert.email);
    await e.get(page).expect(200);

    // Removing the expert from the course also ends their team assignments.
    const staffRow = await t.db.repo(CourseMember).findOneByOrFail({ courseId, userId: expert.id });
    expect((await submitForm(a, people, `${people}/${staffRow.id}/remove`, {})).status).toBe(303);
    expect(await t.db.repo(TeamExpert).countBy({ userId: expert.id })).toBe(0);
    await e.get(page).expect(404);
  });

  it('keeps at least one facilitator', async () => {
    const only = await t.db.repo(CourseMember).findOneByOrFail({ courseId, role: 'facilitator' });
    const res = await submitForm(a, `${base}/people`, `${base}/people/${only.id}/remove`, {});
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('A course needs at least one facilitator.');
  });

  it('lets team members see their own team and the list of teams, never another team’s page', async () => {
    const mine = await createTeam(t.db, courseId, { country: 'KE', region: 'africa', timeZone: 'Africa/Nairobi' });
    const theirs = await createTeam(t.db, courseId, { country: 'GH', region: 'africa', timeZone: 'Africa/Accra' });
    const m = await createUser(t.db);
    await addMember(t.db, mine.id, m.id);
    const b = agent(t.server);
    await signIn(b, m.email);
    const list = await b.get(`${base}/teams`).expect(200);
    expect(list.text).toContain(`href="${base}/teams/${mine.id}"`);
    expect(list.text).not.toContain(`href="${base}/teams/${theirs.id}"`);
    expect(textOf(list.text)).toContain('Ghana');
    await b.get(`${base}/teams/${theirs.id}`).expect(404);
    const own = await b.get(`${base}/teams/${mine.id}`).expect(200);
    expect(own.text).not.toContain('/members/'); // no management forms
    const csrf = csrfFrom(own.text);
    await b
      .post(`${base}/teams/${mine.id}/members`)
      .type('form')
      .send({ _csrf: csrf, email: 'x@example.org', teamRole: 'member', position: 'other', level: 'national' })
      .expect(404);
    await b
      .post(`${base}/teams/${theirs.id}/members`)
      .type('form')
      .send({ _csrf: csrf, email: 'x@example.org', teamRole: 'member', position: 'other', level: 'national' })
      .expect(404);
    expect(await t.db.repo(Invitation).countBy({ email: 'x@example.org' })).toBe(0);
  });
});
