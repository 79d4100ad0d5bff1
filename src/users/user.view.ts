import type { SiteRole, User } from './user.entity';

/** What a signed-in request carries as req.user: never the password hash. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: SiteRole;
  timeZone: string;
  language: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

export const ROLE_LABELS: Record<SiteRole, string> = {
  admin: 'Administrator',
  facilitator: 'Facilitator',
  expert: 'Expert',
  participant: 'Participant',
};

export const LANGUAGES: readonly { value: string; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'fr', label: 'Français (French)' },
  { value: 'es', label: 'Español (Spanish)' },
  { value: 'ar', label: 'العربية (Arabic)' },
  { value: 'zh', label: '中文 (Chinese)' },
  { value: 'ru', label: 'Русский (Russian)' },
  { value: 'pt', label: 'Português (Portuguese)' },
];
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.value);

export function toSessionUser(u: User): SessionUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, timeZone: u.timeZone, language: u.language };
}

export interface UserRowView {
  id: number;
  name: string;
  email: string;
  role: SiteRole;
  roleLabel: string;
  timeZone: string;
  language: string;
  active: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
  deactivatedAt: Date | null;
}

export function toUserRow(u: User): UserRowView {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role],
    timeZone: u.timeZone,
    language: LANGUAGES.find((l) => l.value === u.language)?.label ?? u.language,
    active: u.active,
    createdAt: u.createdAt,
    lastSignInAt: u.lastSignInAt,
    deactivatedAt: u.deactivatedAt,
  };
}
