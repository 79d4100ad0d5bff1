import { Invitation } from '../src/invitations/invitation.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn, TEST_PASSWORD } from './utils/factories';
import { agent, csrfFrom, submitForm, textOf } from './utils/http';
import { linkIn } from './utils/mail-catcher';

describe('invitation-only access', () => {
  let t: TestApp;
  let adminEmail: string;
  let facilitatorEmail: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminEmail = (await createUser(t.db, { role: 'admin', name: 'Ada Admin' })).email;
    facilitatorEmail = (await createUser(t.db, { role: 'facilitator', name: 'Fatou Facilitator' })).email;
  });
  afterAll(() => t.close());

  async function inviteAs(email: string, fields: Record<string, string>) {
    const a = agent(t.server);
    await signIn(a, email);
    return { a, res: await submitForm(a, '/invitations', '/invitations', fields) };
  }

  it('invite → e-mail → accept → signed in → sign out → sign in again', async () => {
    const { a: admin, res } = await inviteAs(adminEmail, { email: 'Amina.Diallo@Education.gov.sn', role: 'participant', message: 'For the Senegal team.' });
    expect(res.status).toBe(303);
    const list = await admin.get('/invitations');
    expect(textOf(list.text)).toContain('Invitation sent to amina.diallo@education.gov.sn');
    expect(textOf(list.text)).toMatch(/amina\.diallo@education\.gov\.sn Participant Account only, no team pending/);

    const mail = await t.mail.last('amina.diallo@education.gov.sn');
    expect(mail.subject).toBe('You are invited to Atelier');
    expect(mail.text).toContain('Ada Admin has invited you');
    expect(mail.text).toContain('For the Senegal team.');
    const link = linkIn(mail, '/invite/');
    const stored = await t.db.repo(Invitation).findOneByOrFail({ email: 'amina.diallo@education.gov.sn' });
    expect(stored.tokenHash).not.toContain(link.split('/').pop()); // only the hash is stored

    const invitee = agent(t.server);
    const page = await invitee.get(link).expect(200);
    expect(textOf(page.text).replace(/ ([.,])/g, '$1')).toContain(
      'Ada Admin has invited you to Atelier with the role Participant. Your account will use the e-mail address amina.diallo@education.gov.sn.',
    );
    const accept = await invitee
      .post(link)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Amina Diallo',
        timeZone: 'Africa/Dakar',
        language: 'fr',
        password: 'baobab river lantern',
        confirmPassword: 'baobab river lantern',
      });
    expect(accept.status).toBe(303);
    expect(accept.headers.location).toBe('/dashboard');
    const home = await invitee.get('/dashboard').expect(200);
    expect(textOf(home.text)).toContain('Welcome, Amina Diallo');
    expect(textOf(home.text)).toContain('Africa/Dakar');

    const user = await t.db.repo(User).findOneByOrFail({ email: 'amina.diallo@education.gov.sn' });
    expect(user).toMatchObject({ name: 'Amina Diallo', role: 'participant', timeZone: 'Africa/Dakar', language: 'fr', active: true });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await t.db.repo(Invitation).findOneByOrFail({ id: stored.id })).acceptedUserId).toBe(user.id);

    const home2 = await invitee.get('/dashboard');
    await invitee
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(home2.text) })
      .expect(303);
    await invitee.get('/dashboard').expect(303).expect('location', '/sign-in?next=%2Fdashboard');

    const again = agent(t.server);
    await signIn(again, 'AMINA.DIALLO@education.gov.sn', 'baobab river lantern');
    await again.get('/dashboard').expect(200);

    // The link is single-use.
    const reused = await agent(t.server).get(link);
    expect(reused.status).toBe(410);
    expect(textOf(reused.text)).toContain('This invitation has already been accepted');
  });

  it('refuses an expired link with a clear page', async () => {
    await inviteAs(adminEmail, { email: 'late@example.org', role: 'participant' });
    const link = linkIn(await t.mail.last('late@example.org'), '/invite/');
    await t.db.tx((em) => em.getRepository(Invitation).update({ email: 'late@example.org' }, { expiresAt: new Date(Date.now() - 1000) }));
    const res = await agent(t.server).get(link);
    expect(res.status).toBe(410);
    expect(textOf(res.text)).toContain('Invitation expired');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    const post = await agent(t.server).post(link).type('form').send({ name: 'x' });
    expect(post.status).toBe(403); // no CSRF token: refused before anything else
  });

  it('refuses an unknown or malformed token with 404', async () => {
    await agent(t.server).get('/invite/not-a-token').expect(404);
    await agent(t.server)
      .get(`/invite/${'A'.repeat(43)}`)
      .expect(404);
  });

  it('resend makes a new link and kills the old one; withdraw kills the link', async () => {
    const { a } = await inviteAs(adminEmail, { email: 'twice@example.org', role: 'expert' });
    const first = linkIn(await t.mail.last('twice@example.org'), '/invite/');
    const inv = await t.db.repo(Invitation).findOneByOrFail({ email: 'twice@example.org' });
    const page = await a.get('/invitations');
    await a
      .post(`/invitations/${inv.id}/resend`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    await t.deliverMail();
    expect(t.mail.to('twice@example.org')).toHaveLength(2);
    const second = linkIn(await t.mail.last('twice@example.org'), '/invite/');
    expect(second).not.toBe(first);
    await agent(t.server).get(first).expect(404);
    await agent(t.server).get(second).expect(200);
    expect((await t.db.repo(Invitation).findOneByOrFail({ id: inv.id })).sendCount).toBe(2);

    await a
      .post(`/invitations/${inv.id}/revoke`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const gone = await agent(t.server).get(second);
    expect(gone.status).toBe(410);
    expect(textOf(gone.text)).toContain('withdrawn');
  });

  it('lets facilitators invite experts and participants, not administrators', async () => {
    const { res } = await inviteAs(facilitatorEmail, { email: 'boss@example.org', role: 'admin' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('You cannot invite someone as Administrator');
    expect(res.text).toContain('value="boss@example.org"');
    expect(await t.db.repo(Invitation).countBy({ email: 'boss@example.org' })).toBe(0);

    const ok = await inviteAs(facilitatorEmail, { email: 'expert.x@example.org', role: 'expert' });
    expect(ok.res.status).toBe(303);
  });

  it('answers bad input with 422, the message at the field and the values kept, storing nothing', async () => {
    const a = agent(t.server);
    await signIn(a, adminEmail);
    const bad = await submitForm(a, '/invitations', '/invitations', { email: 'not-an-address', role: 'participant', message: 'Hello team' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/<p class="field-error" id="f-email-error">[^<]*<span[^>]*>Error:<\/span> Enter an e-mail address/);
    expect(bad.text).toContain('value="not-an-address"');
    expect(bad.text).toContain('Hello team</textarea>');
    expect(bad.text).toContain('aria-invalid="true"');

    const unknownField = await submitForm(a, '/invitations', '/invitations', { email: 'extra@example.org', role: 'participant', isAdmin: 'yes' });
    expect(unknownField.status).toBe(422);
    expect(textOf(unknownField.text)).toContain('This form does not have a field called "isAdmin"');
    expect(await t.db.repo(Invitation).countBy({ email: 'extra@example.org' })).toBe(0);

    const badRole = await submitForm(a, '/invitations', '/invitations', { email: 'role@example.org', role: 'superuser' });
    expect(badRole.status).toBe(422);
    expect(textOf(badRole.text)).toContain('Choose a role.');

    const existing = await submitForm(a, '/invitations', '/invitations', { email: facilitatorEmail.toUpperCase(), role: 'participant' });
    expect(existing.status).toBe(422);
    expect(textOf(existing.text)).toContain('already has an Atelier account');

    await submitForm(a, '/invitations', '/invitations', { email: 'dup@example.org', role: 'participant' });
    const dup = await submitForm(a, '/invitations', '/invitations', { email: 'dup@example.org', role: 'participant' });
    expect(dup.status).toBe(422);
    expect(textOf(dup.text)).toContain('already has a pending invitation');
    expect(await t.db.repo(Invitation).countBy({ email: 'dup@example.org' })).toBe(1);
  });

  it('keeps the invitation when the mail server refuses its e-mail, and sends it when the server takes it again', async () => {
    const a = agent(t.server);
    await signIn(a, adminEmail);
    await t.deliverMail(); // what earlier tests queued goes first
    t.mail.failNext = 1;
    const res = await submitForm(a, '/invitations', '/invitations', { email: 'bounce@example.org', role: 'participant' });
    expect(res.status).toBe(303);
    expect(await t.db.repo(Invitation).countBy({ email: 'bounce@example.org' })).toBe(1);
    await t.deliverMail(); // refused: the message waits for its next attempt
    expect(t.mail.to('bounce@example.org')).toHaveLength(0);
    expect(t.mail.failNext).toBe(0);
    await t.deliverMail(new Date(Date.now() + 2 * 60_000)); // after the back-off
    const link = linkIn(await t.mail.last('bounce@example.org'), '/invite/');
    await agent(t.server).get(link).expect(200);
    expect(t.mail.to('bounce@example.org')).toHaveLength(1);
  });

  it('re-renders the acceptance form with 422 for a weak password or a mismatch, creating nothing', async () => {
    await inviteAs(adminEmail, { email: 'weak@example.org', role: 'participant' });
    const link = linkIn(await t.mail.last('weak@example.org'), '/invite/');
    const a = agent(t.server);
    const page = await a.get(link);
    const weak = await a
      .post(link)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Wei Zhang',
        timeZone: 'Asia/Shanghai',
        language: 'zh',
        password: 'password1234',
        confirmPassword: 'password1234',
      });
    expect(weak.status).toBe(422);
    expect(textOf(weak.text)).toContain('too common');
    expect(weak.text).toContain('value="Wei Zhang"');
    expect(weak.text).toMatch(/<option selected>Asia\/Shanghai/);
    expect(weak.text).not.toContain('password1234');

    const mismatch = await a
      .post(link)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Wei Zhang',
        timeZone: 'Mars/Base',
        language: 'zh',
        password: 'lotus bridge autumn',
        confirmPassword: 'lotus bridge autumn!',
      });
    expect(mismatch.status).toBe(422);
    expect(textOf(mismatch.text)).toContain('The two passwords are not the same.');
    expect(textOf(mismatch.text)).toContain('Choose your time zone from the list.');
    expect(await t.db.repo(User).countBy({ email: 'weak@example.org' })).toBe(0);
    await a.get(link).expect(200); // still usable
  });

  it('refuses the invitation pages to people who may not invite', async () => {
    const participant = await createUser(t.db, { role: 'participant' });
    const expert = await createUser(t.db, { role: 'expert' });
    for (const who of [participant, expert]) {
      const a = agent(t.server);
      await signIn(a, who.email, TEST_PASSWORD);
      await a.get('/invitations').expect(403);
      const home = await a.get('/dashboard');
      await a
        .post('/invitations')
        .type('form')
        .send({ _csrf: csrfFrom(home.text), email: 'x@example.org', role: 'participant' })
        .expect(403);
      await a
        .post('/invitations/1/resend')
        .type('form')
        .send({ _csrf: csrfFrom(home.text) })
        .expect(403);
      await a
        .post('/invitations/1/revoke')
        .type('form')
        .send({ _csrf: csrfFrom(home.text) })
        .expect(403);
    }
    await agent(t.server).get('/invitations').expect(303).expect('location', '/sign-in?next=%2Finvitations');
    expect(await t.db.repo(Invitation).countBy({ email: 'x@example.org' })).toBe(0);
  });
});
