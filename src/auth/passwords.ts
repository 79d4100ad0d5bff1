import { Algorithm, hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash of a random string, verified when the e-mail is unknown so both answers take as long. */
let dummyHash: Promise<string> | undefined;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('atelier-timing-equaliser-' + Math.random());
  return dummyHash.then((h) => verifyPassword(h, password));
}

const lists = dictionary as unknown as Record<string, string[] | undefined>;
const COMMON = new Set<string>(lists['passwords-common'] ?? lists.passwords ?? []);

/**
 * NIST SP 800-63B: length 12–128, any characters, no composition rules, refuse passwords that are
 * common, or a common password with digits or symbols added, one repeated character, or the
 * person's own e-mail or name. Returns a message for the form, or null when acceptable.
 */
export function passwordProblem(password: string, about: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters. A few unrelated words make a strong, memorable password.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  const core = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (COMMON.has(lower) || (core.length >= 4 && COMMON.has(core)) || /^(.)\1+$/u.test(lower) || /^(0123456789|1234567890|abcdefghijkl)/.test(lower)) {
    return 'This password is too common and easy to guess. Choose another, for example a few unrelated words.';
  }
  const email = about.email?.toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) return 'Do not use your e-mail address as your password.';
  if (about.name && lower.replace(/\s+/g, '') === about.name.toLowerCase().replace(/\s+/g, '')) return 'Do not use your name as your password.';
  return null;
}
