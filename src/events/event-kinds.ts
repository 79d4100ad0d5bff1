import type { SiteRole } from '../common/roles';

/**
 * Every kind of domain event, with the payload each carries. Payloads are small and never hold
 * secrets, tokens, passwords or the e-mail address someone typed: ids, numbers, flags and labels.
 */
export interface EventPayloads {
  /** Sent or sent again (`sendCount` > 1: a resend with a new link). */
  'invitation.sent': { role: SiteRole; teamId: number | null; sendCount: number };
  'invitation.accepted': { userId: number; teamId: number | null };
  'invitation.withdrawn': Record<string, never>;
  'user.signed_in': Record<string, never>;
  'user.signed_out': Record<string, never>;
  'user.sign_in_failed': { reason: 'unknown_account' | 'wrong_password' | 'inactive' };
  'user.role_changed': { from: SiteRole; to: SiteRole };
  'user.deactivated': Record<string, never>;
  'user.reactivated': Record<string, never>;
  'task.published': { title: string };
  /** The task's title after the edit. */
  'task.updated': { title: string };
  'submission.submitted': { taskId: number; version: number; late: boolean };
  'review.released': { submissionId: number; taskId: number; version: number; decision: string };
  'submission.reopened': { taskId: number; from: string };
  'extension.granted': { taskId: number; dueAt: string | null; cutOffAt: string | null };
  'comment.posted': { submissionId: number; taskId: number };
  'resource.added': { title: string; kind: string };
  /** Title and kind after the edit. */
  'resource.updated': { title: string; kind: string };
  /** Title and kind of the resource removed (the row is gone; the event keeps what it was). */
  'resource.removed': { title: string; kind: string };
  /** A meeting booked from an expert's free slots; startsAt as ISO UTC. */
  'meeting.booked': { meetingId: number; title: string; startsAt: string; expertId: number; teamIds: number[] };
  /** A meeting a facilitator scheduled (peer exchange, plenary, other): the host, teams and people taking part. */
  'meeting.scheduled': { meetingId: number; title: string; kind: string; startsAt: string; hostId: number; teamIds: number[]; personIds: number[] };
  /** Moved from `from` to `startsAt` (ISO UTC); `sequence` is the .ics SEQUENCE after the change; the reason as written (≤ 500 characters). */
  'meeting.rescheduled': {
    meetingId: number;
    title: string;
    from: string;
    startsAt: string;
    sequence: number;
    reason: string;
    hostId: number;
    teamIds: number[];
    personIds: number[];
  };
  'meeting.cancelled': {
    meetingId: number;
    title: string;
    startsAt: string;
    sequence: number;
    reason: string;
    hostId: number;
    teamIds: number[];
    personIds: number[];
  };
  /** Attendance recorded and the meeting marked as held. */
  'meeting.held': { meetingId: number; title: string; teamsPresent: number; peoplePresent: number };
  /** The notes made final: now everyone in the meeting reads them. */
  'meeting.notes_finalised': { meetingId: number; title: string; hostId: number; teamIds: number[]; personIds: number[] };
}

export type EventKind = keyof EventPayloads;

export const EVENT_KINDS = [
  'invitation.sent',
  'invitation.accepted',
  'invitation.withdrawn',
  'user.signed_in',
  'user.signed_out',
  'user.sign_in_failed',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'task.published',
  'task.updated',
  'submission.submitted',
  'review.released',
  'submission.reopened',
  'extension.granted',
  'comment.posted',
  'resource.added',
  'resource.updated',
  'resource.removed',
  'meeting.booked',
  'meeting.scheduled',
  'meeting.rescheduled',
  'meeting.cancelled',
  'meeting.held',
  'meeting.notes_finalised',
] as const satisfies readonly EventKind[];

/** Fails to compile when EVENT_KINDS and EventPayloads disagree. */
type Missing = Exclude<EventKind, (typeof EVENT_KINDS)[number]>;
const _allKindsListed: Missing extends never ? true : Missing = true;
void _allKindsListed;

/** What a module hands to `EventsService.record`: one kind with its own payload. */
export type NewEvent = {
  [K in EventKind]: {
    kind: K;
    /** The person who did it; null for the system. */
    actorId: number | null;
    courseId?: number | null;
    subject: { type: string; id: number | null };
    payload: EventPayloads[K];
    occurredAt?: Date;
  };
}[EventKind];
