import { SITE_ROLES, type SiteRole } from '../common/roles';
import { formatInstant } from '../common/time';
import type { EventLogEntry } from '../events/event-log.service';
import { EVENT_KINDS, type EventKind } from '../events/event-kinds';
import { type Owner, submissionHref } from '../submissions/owner';
import { STATUS_LABELS } from '../submissions/workflow';
import { ROLE_LABELS } from '../users/user.view';

/** What a person reads for each kind (the filter's options and the CSV's "Kind" column). */
export const KIND_LABELS: Readonly<Record<EventKind, string>> = {
  'user.signed_in': 'Signed in',
  'user.signed_out': 'Signed out',
  'user.sign_in_failed': 'Failed sign-in',
  'user.role_changed': 'Role changed',
  'user.deactivated': 'Account deactivated',
  'user.reactivated': 'Account reactivated',
  'invitation.sent': 'Invitation sent',
  'invitation.accepted': 'Invitation accepted',
  'invitation.withdrawn': 'Invitation withdrawn',
  'task.published': 'Task published',
  'task.updated': 'Task edited',
  'submission.submitted': 'Work submitted',
  'review.released': 'Feedback released',
  'submission.reopened': 'Work reopened',
  'extension.granted': 'Extension granted',
  'comment.posted': 'Comment posted',
  'resource.added': 'Resource added',
  'resource.updated': 'Resource edited',
  'resource.removed': 'Resource removed',
  'meeting.booked': 'Meeting booked',
  'meeting.scheduled': 'Meeting scheduled',
  'meeting.rescheduled': 'Meeting rescheduled',
  'meeting.cancelled': 'Meeting cancelled',
  'meeting.held': 'Meeting held',
  'meeting.notes_finalised': 'Meeting notes made final',
};

type Group = 'accounts' | 'invitations' | 'tasks' | 'work' | 'resources' | 'meetings';

/** The group each kind is listed under: a new kind does not compile until it has one. */
const KIND_GROUP: Readonly<Record<EventKind, Group>> = {
  'user.signed_in': 'accounts',
  'user.signed_out': 'accounts',
  'user.sign_in_failed': 'accounts',
  'user.role_changed': 'accounts',
  'user.deactivated': 'accounts',
  'user.reactivated': 'accounts',
  'invitation.sent': 'invitations',
  'invitation.accepted': 'invitations',
  'invitation.withdrawn': 'invitations',
  'task.published': 'tasks',
  'task.updated': 'tasks',
  'submission.submitted': 'work',
  'review.released': 'work',
  'submission.reopened': 'work',
  'extension.granted': 'work',
  'comment.posted': 'work',
  'resource.added': 'resources',
  'resource.updated': 'resources',
  'resource.removed': 'resources',
  'meeting.booked': 'meetings',
  'meeting.scheduled': 'meetings',
  'meeting.rescheduled': 'meetings',
  'meeting.cancelled': 'meetings',
  'meeting.held': 'meetings',
  'meeting.notes_finalised': 'meetings',
};

const GROUPS: readonly { key: Group; label: string; siteOnly: boolean }[] = [
  { key: 'accounts', label: 'Accounts and sign-in', siteOnly: true },
  { key: 'invitations', label: 'Invitations', siteOnly: false },
  { key: 'tasks', label: 'Tasks', siteOnly: false },
  { key: 'work', label: 'Work and feedback', siteOnly: false },
  { key: 'resources', label: 'Resources', siteOnly: false },
  { key: 'meetings', label: 'Meetings', siteOnly: false },
];

/** The kinds a log may be filtered by, grouped; a course's log leaves out account events (they belong to no course). */
export function kindGroups(site: boolean) {
  return GROUPS.filter((g) => site || !g.siteOnly).map((g) => ({
    label: g.label,
    kinds: EVENT_KINDS.filter((k) => KIND_GROUP[k] === g.key).map((k) => ({ value: k, label: KIND_LABELS[k] })),
  }));
}

/** What the sentences need besides the events: names and titles looked up once per page. */
export interface EventLookups {
  people: ReadonlyMap<number, string>;
  tasks: ReadonlyMap<number, string>;
  teams: ReadonlyMap<number, string>;
  submissions: ReadonlyMap<number, { taskId: number; owner: Owner }>;
  /** The viewer's zone, for times inside a sentence (a new due time). */
  zone: string;
  /** Links to people's admin pages are for the site-wide log only. */
  site: boolean;
}

export interface EventText {
  text: string;
  link: { href: string; label: string } | null;
}

const DECISIONS: Record<string, string> = { changes: 'changes requested', accept: 'accepted' };
const quoted = (title: string) => `‘${title}’`;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const roleLabel = (v: unknown) => (SITE_ROLES.includes(v as SiteRole) ? ROLE_LABELS[v as SiteRole].toLowerCase() : 'someone');
const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
const possessive = (name: string) => (name.endsWith('s') ? `${name}’` : `${name}’s`);

/** Ids an event names that the page looks up: people, tasks, teams, submissions. */
export function idsNamedBy(entries: readonly EventLogEntry[]) {
  const people = new Set<number>();
  const tasks = new Set<number>();
  const teams = new Set<number>();
  const submissions = new Set<number>();
  for (const e of entries) {
    if (e.actorId !== null) people.add(e.actorId);
    if (e.subjectType === 'user' && e.subjectId !== null) people.add(e.subjectId);
    const p = e.payload;
    const taskId = num(p.taskId);
    if (taskId !== null) tasks.add(taskId);
    if (e.kind === 'task.published' || e.kind === 'task.updated') if (e.subjectId !== null) tasks.add(e.subjectId);
    const teamId = num(p.teamId);
    if (teamId !== null) teams.add(teamId);
    const userId = num(p.userId);
    if (userId !== null) people.add(userId);
    const submissionId = e.subjectType === 'submission' ? e.subjectId : num(p.submissionId);
    if (submissionId !== null) submissions.add(submissionId);
  }
  return { people: [...people], tasks: [...tasks], teams: [...teams], submissions: [...submissions] };
}

/** People (individual work) and teams named through the submissions, looked up after them. */
export function ownersNamed(submissions: ReadonlyMap<number, { taskId: number; owner: Owner }>) {
  const people: number[] = [];
  const teams: number[] = [];
  for (const { owner } of submissions.values()) {
    if (owner.teamId !== null) teams.push(owner.teamId);
    else if (owner.userId !== null) people.push(owner.userId);
  }
  return { people, teams };
}

/**
 * One event as a sentence about what the actor did, with a link to what it is about where there is
 * a page for it. Built from ids, labels and looked-up names only: payloads hold no secrets or typed
 * addresses, and nothing here adds any.
 */
export function describeEvent(e: EventLogEntry, l: EventLookups): EventText {
  const p = e.payload;
  const person = (id: number | null) => (id !== null ? (l.people.get(id) ?? 'an account that no longer exists') : 'an unknown account');
  const team = (id: number | null) => (id !== null ? (l.teams.get(id) ?? 'a team that no longer exists') : null);
  const userLink = (id: number | null) => (l.site && id !== null && l.people.has(id) ? { href: `/admin/users/${id}`, label: l.people.get(id)! } : null);
  const courseId = e.courseId;

  // Work on a task: the task's title, whose work it is, and a link to it.
  const work = (submissionId: number | null, fallbackTaskId: number | null) => {
    const sub = submissionId !== null ? l.submissions.get(submissionId) : undefined;
    const taskId = sub?.taskId ?? fallbackTaskId;
    const title = taskId !== null ? l.tasks.get(taskId) : undefined;
    const owner = sub ? (sub.owner.teamId !== null ? team(sub.owner.teamId) : person(sub.owner.userId)) : null;
    const href = sub && courseId !== null && taskId !== null ? submissionHref(courseId, taskId, sub.owner) : null;
    return {
      task: title ? quoted(title) : 'a task',
      owner: owner ? ` (${owner})` : '',
      link: href ? { href, label: owner ? `${possessive(owner)} work` : 'The work' } : null,
    };
  };
  const taskLink = (taskId: number | null, title: string) =>
    courseId !== null && taskId !== null && l.tasks.has(taskId) ? { href: `/courses/${courseId}/tasks/${taskId}`, label: title } : null;
  const resourcesLink = courseId !== null ? { href: `/courses/${courseId}/resources`, label: 'Resources' } : null;
  const meetingLink = (q: Record<string, unknown>) => {
    const id = num(q.meetingId);
    return courseId !== null && id !== null ? { href: `/courses/${courseId}/meetings/${id}`, label: str(q.title) ?? 'Meeting' } : null;
  };
  const teamLink = (teamId: number | null) => {
    const name = team(teamId);
    return name && courseId !== null && teamId !== null && l.teams.has(teamId) ? { href: `/courses/${courseId}/teams/${teamId}`, label: name } : null;
  };

  switch (e.kind) {
    case 'user.signed_in':
      return { text: 'Signed in', link: null };
    case 'user.signed_out':
      return { text: 'Signed out', link: null };
    case 'user.sign_in_failed': {
      const why = { wrong_password: 'wrong password', inactive: 'the account is deactivated' }[str(p.reason) ?? ''];
      if (e.subjectId === null) return { text: 'Failed sign-in with an e-mail address that has no account', link: null };
      return { text: `Failed sign-in to ${possessive(person(e.subjectId))} account${why ? ` — ${why}` : ''}`, link: userLink(e.subjectId) };
    }
    case 'user.role_changed':
      return {
        text: `Changed ${possessive(person(e.subjectId))} role from ${roleLabel(p.from)} to ${roleLabel(p.to)}`,
        link: userLink(e.subjectId),
      };
    case 'user.deactivated':
      return { text: `Deactivated ${possessive(person(e.subjectId))} account`, link: userLink(e.subjectId) };
    case 'user.reactivated':
      return { text: `Reactivated ${possessive(person(e.subjectId))} account`, link: userLink(e.subjectId) };
    case 'invitation.sent': {
      const teamId = num(p.teamId);
      const to = team(teamId);
      const count = num(p.sendCount) ?? 1;
      const as = `as ${withArticle(roleLabel(p.role))}${to ? ` to ${to}` : ''}`;
      return { text: count > 1 ? `Sent an invitation again (${count} times in all) ${as}` : `Invited someone ${as}`, link: teamLink(teamId) };
    }
    case 'invitation.accepted': {
      const teamId = num(p.teamId);
      const to = team(teamId);
      return { text: `Accepted an invitation${to ? ` and joined ${to}` : ''}`, link: teamLink(teamId) };
    }
    case 'invitation.withdrawn':
      return { text: 'Withdrew an invitation', link: null };
    case 'task.published':
    case 'task.updated': {
      const title = (e.subjectId !== null ? l.tasks.get(e.subjectId) : undefined) ?? str(p.title) ?? 'a task';
      const verb = e.kind === 'task.published' ? 'Published' : 'Edited';
      return { text: `${verb} the task ${quoted(str(p.title) ?? title)}`, link: taskLink(e.subjectId, title) };
    }
    case 'submission.submitted': {
      const w = work(e.subjectId, num(p.taskId));
      return { text: `Submitted version ${num(p.version) ?? '?'} of ${w.task}${w.owner}${p.late === true ? ', late' : ''}`, link: w.link };
    }
    case 'review.released': {
      const w = work(num(p.submissionId), num(p.taskId));
      const decision = DECISIONS[str(p.decision) ?? ''];
      return { text: `Released feedback on version ${num(p.version) ?? '?'} of ${w.task}${w.owner}${decision ? ` — ${decision}` : ''}`, link: w.link };
    }
    case 'submission.reopened': {
      const w = work(e.subjectId, num(p.taskId));
      const from = STATUS_LABELS[str(p.from) as keyof typeof STATUS_LABELS];
      return { text: `Reopened the work on ${w.task}${w.owner}${from ? `, which was ${from.toLowerCase()}` : ''}`, link: w.link };
    }
    case 'extension.granted': {
      const w = work(e.subjectId, num(p.taskId));
      const due = str(p.dueAt);
      const cutOff = str(p.cutOffAt);
      const times = [due ? `due ${formatInstant(due, l.zone)}` : null, cutOff ? `closing ${formatInstant(cutOff, l.zone)}` : null].filter(Boolean).join(', ');
      return { text: `Granted an extension on ${w.task}${w.owner}${times ? `: ${times}` : ''}`, link: w.link };
    }
    case 'comment.posted': {
      const w = work(num(p.submissionId), num(p.taskId));
      return { text: `Commented on the work on ${w.task}${w.owner}`, link: w.link };
    }
    case 'resource.added':
      return { text: `Added the resource ${quoted(str(p.title) ?? '?')}`, link: resourcesLink };
    case 'resource.updated':
      return { text: `Edited the resource ${quoted(str(p.title) ?? '?')}`, link: resourcesLink };
    case 'resource.removed':
      return { text: `Removed the resource ${quoted(str(p.title) ?? '?')}`, link: null };
    case 'meeting.booked': {
      const at = str(p.startsAt);
      return { text: `Booked the meeting ${quoted(str(p.title) ?? '?')}${at ? ` for ${formatInstant(at, l.zone)}` : ''}`, link: meetingLink(p) };
    }
    case 'meeting.scheduled': {
      const at = str(p.startsAt);
      return { text: `Scheduled the meeting ${quoted(str(p.title) ?? '?')}${at ? ` for ${formatInstant(at, l.zone)}` : ''}`, link: meetingLink(p) };
    }
    case 'meeting.rescheduled': {
      const from = str(p.from);
      const at = str(p.startsAt);
      const times = from && at ? ` from ${formatInstant(from, l.zone)} to ${formatInstant(at, l.zone)}` : '';
      return { text: `Rescheduled the meeting ${quoted(str(p.title) ?? '?')}${times}`, link: meetingLink(p) };
    }
    case 'meeting.cancelled': {
      const at = str(p.startsAt);
      return { text: `Cancelled the meeting ${quoted(str(p.title) ?? '?')}${at ? ` of ${formatInstant(at, l.zone)}` : ''}`, link: meetingLink(p) };
    }
    case 'meeting.held':
      return { text: `Recorded the attendance of the meeting ${quoted(str(p.title) ?? '?')}`, link: meetingLink(p) };
    case 'meeting.notes_finalised':
      return { text: `Made the notes of the meeting ${quoted(str(p.title) ?? '?')} final`, link: meetingLink(p) };
    default:
      return { text: `Recorded “${String(e.kind)}”`, link: null };
  }
}

/** Who did it, as the log shows it. */
export function actorName(e: EventLogEntry, people: ReadonlyMap<number, string>): string {
  if (e.actorId === null) return e.kind === 'user.sign_in_failed' ? 'Not signed in' : 'System';
  return people.get(e.actorId) ?? 'Unknown account';
}
