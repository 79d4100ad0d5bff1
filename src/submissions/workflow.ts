import { DomainError } from '../common/errors';
import type { SubmissionStatus } from './submission.entity';

/**
 * The submission workflow, defined once. Each action names the statuses it may start from and
 * the status it leads to; `transition()` is the only place that checks it.
 */
export const WORKFLOW = {
  edit: { from: ['not_started'], to: 'draft' },
  submit: { from: ['not_started', 'draft'], to: 'submitted' },
  resubmit: { from: ['changes_requested'], to: 'resubmitted' },
  startReview: { from: ['submitted', 'resubmitted'], to: 'in_review' },
  requestChanges: { from: ['in_review'], to: 'changes_requested' },
  accept: { from: ['in_review'], to: 'accepted' },
  reopen: { from: ['accepted'], to: 'changes_requested' },
} as const satisfies Record<string, { from: readonly SubmissionStatus[]; to: SubmissionStatus }>;
export type WorkflowAction = keyof typeof WORKFLOW;

/** Statuses in which work waits for feedback: the review queue, "waiting" notices, who may review. */
export const AWAITING_REVIEW = ['submitted', 'resubmitted', 'in_review'] as const satisfies readonly SubmissionStatus[];
export type AwaitingReviewStatus = (typeof AWAITING_REVIEW)[number];

export function isAwaitingReview(status: SubmissionStatus): status is AwaitingReviewStatus {
  return (AWAITING_REVIEW as readonly SubmissionStatus[]).includes(status);
}

/** Statuses in which a version has been handed in (anything but not started and draft). */
export const HANDED_IN: readonly SubmissionStatus[] = ['submitted', 'resubmitted', 'in_review', 'changes_requested', 'accepted'];

export const STATUS_LABELS: Record<SubmissionStatus, string> = {
  not_started: 'Not started',
  draft: 'Draft',
  submitted: 'Submitted',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  resubmitted: 'Resubmitted',
  accepted: 'Accepted',
};

export class TransitionError extends DomainError {
  constructor(
    readonly action: WorkflowAction,
    readonly from: SubmissionStatus,
  ) {
    super(409, 'Not possible now', `This cannot be done to a submission that is ${STATUS_LABELS[from].toLowerCase()}. Reload the page to see where it stands.`);
  }
}

export function canDo(action: WorkflowAction, from: SubmissionStatus): boolean {
  return (WORKFLOW[action].from as readonly SubmissionStatus[]).includes(from);
}

/** The status after `action`, or a TransitionError. */
export function transition(action: WorkflowAction, from: SubmissionStatus): SubmissionStatus {
  if (!canDo(action, from)) throw new TransitionError(action, from);
  return WORKFLOW[action].to;
}

/** Which submit action applies from a status: the first submission, or a resubmission. */
export function submitAction(from: SubmissionStatus): WorkflowAction | null {
  if (canDo('submit', from)) return 'submit';
  if (canDo('resubmit', from)) return 'resubmit';
  return null;
}
