import { timeZonePicker } from '../common/time';
import { LANGUAGES, ROLE_LABELS, type SessionUser } from '../users/user.view';
import { PASSWORD_MIN } from './passwords';

/** "Your account": the person's details and the password form. */
export function accountPage(me: SessionUser) {
  return {
    title: 'Your account',
    nav: 'account',
    email: me.email,
    roleLabel: ROLE_LABELS[me.role],
    values: { name: me.name, timeZone: me.timeZone, language: me.language },
    timeZones: timeZonePicker([me.timeZone]),
    languages: LANGUAGES,
    passwordMin: PASSWORD_MIN,
  };
}
