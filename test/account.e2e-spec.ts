import { User } from '../src/users/user.entity';
import { createTestApp, type TestApp } from './utils/create-test-app';
import { createUser, signIn, TEST_PASSWORD } from './utils/factories';
import { agent, submitForm, textOf } from './utils/http';

describe('your account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('updates name, time zone and language; times then show in the new zone', async () => {
    const u = await createUser(t.db, { timeZone: 'Africa/Nairobi' });
    const a = agent(t.server);
    await signIn(a, u.email);
    const res = await submitForm(a, '/account', '/account', { name: 'Pham Minh Chau', timeZone: 'Asia/Ho_Chi_Minh', language: 'en' });
    expect(res.status).toBe(303);
    const page = await a.get('/account');
    expect(textOf(page.text)).toContain('Your details have been saved.');
    expect(textOf(page.text)).toContain('Pham Minh Chau');
    expect(textOf(page.text)).toContain('Times are shown in your time zone, Asia/Ho_Chi_Minh');
    expect(await t.db.repo(User).findOneByOrFail({ id: u.id })).toMatchObject({ name: 'Pham Minh Chau', timeZone: 'Asia/Ho_Chi_Minh' });
  });

  it('refuses an unknown time zone or language with 422 at the field, keeping the values and changing nothing', async () => {
    const u = await createUser(t.db, { name: 'Original Name' });
    const a = agent(t.server);
    await signIn(a, u.email);
    const res = await submitForm(a, '/account', '/account', { name: 'New Name', timeZone: 'Atlantis/Capital', language: 'xx' });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Choose your time zone from the list.');
    expect(textOf(res.text)).toContain('Choose a language from the list.');
    expect(res.text).toContain('value="New Name"');
    expect((await t.db.repo(User).findOneByOrFail({ id: u.id })).name).toBe('Original Name');
    const empty = await submitForm(a, '/account', '/account', { name: '   ', timeZone: 'UTC', language: 'en' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain('Enter your name.');
  });

  it('changes the password after checking the current one; other sessions end, this one stays', async () => {
    const u = await createUser(t.db);
    const here = agent(t.server);
    const elsewhere = agent(t.server);
    await signIn(here, u.email);
    await signIn(elsewhere, u.email);

    const wrong = await submitForm(here, '/account', '/account/password', {
      currentPassword: 'not it at all',
      newPassword: 'kilimanjaro sunrise tea',
      confirmPassword: 'kilimanjaro sunrise tea',
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain('Your current password is not correct.');

    const weak = await submitForm(here, '/account', '/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'qwerty123456',
      confirmPassword: 'qwerty123456',
    });
    expect(weak.status).toBe(422);
    expect(textOf(weak.text)).toContain('too common');

    const ok = await submitForm(here, '/account', '/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'kilimanjaro sunrise tea',
      confirmPassword: 'kilimanjaro sunrise tea',
    });
    expect(ok.status).toBe(303);
    await here.get('/account').expect(200);
    await elsewhere.get('/account').expect(303);
    await signIn(agent(t.server), u.email, 'kilimanjaro sunrise tea');
  });

  it('is only for signed-in people', async () => {
    await agent(t.server).get('/account').expect(303).expect('location', '/sign-in?next=%2Faccount');
    await agent(t.server).post('/account').type('form').send({ name: 'x' }).expect(403);
    await agent(t.server).get('/dashboard').expect(303);
  });
});
