import { hashPassword, passwordProblem, verifyPassword } from './passwords';

describe('passwordProblem', () => {
  it.each([
    ['short', 'Use at least 12'],
    ['a'.repeat(129), 'at most 128'],
    ['password1234', 'too common'],
    ['123456789012', 'too common'],
    ['qwertyuiopasdf', null],
    ['leavemealone', 'too common'],
    ['aaaaaaaaaaaaaa', 'too common'],
    ['Sunshine!!!!!!', 'too common'],
    ['river stone lantern', null],
    ['Ñandú-río-piedra', null],
  ])('%s → %s', (password, expected) => {
    const problem = passwordProblem(password);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('学习型城市终身学习政策')).toContain('at least 12');
    expect(passwordProblem('学习型城市终身学习政策规划')).toBeNull();
  });

  it('refuses the person’s own e-mail or name', () => {
    expect(passwordProblem('amina.diallo@example.org', { email: 'Amina.Diallo@example.org' })).toContain('e-mail');
    expect(passwordProblem('Amina Diallo Ba', { name: 'amina diallo ba' })).toContain('name');
  });
});

describe('hashPassword', () => {
  it('produces an argon2id hash that verifies only the same password', async () => {
    const h = await hashPassword('river stone lantern');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(h, 'river stone lantern')).resolves.toBe(true);
    await expect(verifyPassword(h, 'river stone lanterN')).resolves.toBe(false);
    await expect(verifyPassword('not a hash', 'x')).resolves.toBe(false);
  });
});
