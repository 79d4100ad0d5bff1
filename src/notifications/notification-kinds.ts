/** How a person wants to hear of one kind of notification (always in the app; by e-mail at once, in the morning digest, or not). */
export const DELIVERY_MODES = ['immediately', 'digest', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const MODE_LABELS: Record<DeliveryMode, string> = { immediately: 'Immediately', digest: 'Daily digest', off: 'Off' };

/**
 * Every kind of notification, in the order the preferences page lists them, with who is told and
 * the default when a person has not chosen.
 */
export const NOTIFICATION_KINDS = [
  { kind: 'submission_received', label: 'Work handed in', who: 'Facilitators, and the experts of the team', default: 'digest' },
  { kind: 'feedback_released', label: 'Feedback released', who: 'The team (or the person) whose work it is', default: 'immediately' },
  { kind: 'changes_requested', label: 'Changes requested', who: 'The team (or the person) whose work it is', default: 'immediately' },
  { kind: 'accepted', label: 'Work accepted', who: 'The team (or the person) whose work it is', default: 'immediately' },
  { kind: 'comment_posted', label: 'New comment in your thread', who: 'Everyone in the submission’s discussion', default: 'immediately' },
  { kind: 'extension_granted', label: 'Extension granted', who: 'The team (or the person) given more time', default: 'immediately' },
  { kind: 'task_published', label: 'New task published', who: 'Participants the task is for', default: 'digest' },
  { kind: 'deadline_reminder', label: 'Deadline reminders (48 and 24 hours before)', who: 'Participants who have not handed in yet', default: 'immediately' },
  { kind: 'meeting_booked', label: 'Meeting booked or scheduled', who: 'The people in the meeting', default: 'immediately' },
  { kind: 'meeting_rescheduled', label: 'Meeting rescheduled', who: 'The people in the meeting', default: 'immediately' },
  { kind: 'meeting_cancelled', label: 'Meeting cancelled', who: 'The people in the meeting', default: 'immediately' },
  { kind: 'meeting_notes', label: 'Meeting notes made final', who: 'The people in the meeting', default: 'digest' },
] as const satisfies readonly { kind: string; label: string; who: string; default: DeliveryMode }[];

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]['kind'];

export const KIND_KEYS: readonly NotificationKind[] = NOTIFICATION_KINDS.map((k) => k.kind);

export function defaultMode(kind: string): DeliveryMode {
  return NOTIFICATION_KINDS.find((k) => k.kind === kind)?.default ?? 'immediately';
}

export function isDeliveryMode(v: unknown): v is DeliveryMode {
  return typeof v === 'string' && (DELIVERY_MODES as readonly string[]).includes(v);
}
