import { DomainError, FormInvalidError } from '../common/errors';
import { STATUS_LABELS } from './workflow';
import type { SubmissionStatus } from './submission.entity';

/**
 * The submissions module's domain errors, in one place. State conflicts that the person can
 * act on are form errors (FormInvalidError: the filter re-renders the page with 422 and the
 * message beside the form); the draft conflict is a 409 with both texts.
 */

/** Someone saved the draft after this page was opened: both texts go to the conflict page. */
export class DraftConflictError extends DomainError {
  constructor(
    readonly mine: string,
    readonly theirs: string,
    readonly theirsRevision: number,
    readonly theirsBy: string | null,
    readonly theirsAt: Date | null,
  ) {
    super(409, 'Edited by someone else', 'Someone saved this draft after you opened it.');
  }
}

/** A state conflict shown beside a form (422): a named FormInvalidError. */
export abstract class SubmissionStateError extends FormInvalidError {
  constructor(field: string, message: string | string[]) {
    super({ [field]: Array.isArray(message) ? message : [message] });
    this.name = new.target.name;
  }
}

/** Double submit: the latest version still waits for review. */
export class AlreadySubmittedError extends SubmissionStateError {
  constructor(latestNumber: number | null) {
    super('_form', `Already submitted${latestNumber ? ` as version ${latestNumber}` : ''} and waiting for review: nothing new was submitted.`);
  }
}

/** The work has been accepted: no more drafts or versions until a facilitator reopens it. */
export class AlreadyAcceptedError extends SubmissionStateError {
  /** Refusing a version (the form as a whole). */
  static onSubmit(): AlreadyAcceptedError {
    return new AlreadyAcceptedError('_form', 'This submission has been accepted. A facilitator can reopen it if more changes are needed.');
  }

  /** Refusing a draft save (beside the text). */
  static onDraft(): AlreadyAcceptedError {
    return new AlreadyAcceptedError('text', 'This submission has been accepted; a facilitator can reopen it if more changes are needed.');
  }
}

/** Submitting an empty draft, or one without what the task asks for. */
export class NothingToSubmitError extends SubmissionStateError {
  constructor(problems: string[]) {
    super('_form', problems);
  }
}

/** The older submit-only form, sent after someone saved the draft. */
export class StaleDraftError extends SubmissionStateError {
  constructor() {
    super('_form', 'The draft changed since you opened this page (someone saved it). Look at the current draft, then submit again.');
  }
}

/** A review of a version that is no longer the latest. */
export class StaleVersionError extends SubmissionStateError {
  constructor(latest: number, opened: number) {
    super('_form', `Version ${latest} was submitted after you opened version ${opened}: review the latest version. Your text is kept below.`);
  }
}

/** A review while nothing waits for one. */
export class NothingToReviewError extends SubmissionStateError {
  constructor(status: SubmissionStatus) {
    super('_form', `This submission is ${STATUS_LABELS[status].toLowerCase()}: there is nothing to review now.`);
  }
}

/** Before the task opens. */
export class TaskNotOpenError extends SubmissionStateError {
  constructor() {
    super('_form', 'This task is not open yet.');
  }
}

/** After the cut-off: for the draft, or for a new version. */
export class CutOffPassedError extends SubmissionStateError {
  static onDraft(): CutOffPassedError {
    return new CutOffPassedError('_form', 'The cut-off for this task has passed: the draft can no longer change. Ask a facilitator for an extension.');
  }

  static onSubmit(): CutOffPassedError {
    return new CutOffPassedError('_form', 'The cut-off for this task has passed, so it no longer accepts submissions. Ask a facilitator for an extension.');
  }
}

/** Someone who edits the draft but does not submit it (a member of a team task). */
export class NotTheSubmitterError extends SubmissionStateError {
  constructor(teamTask: boolean) {
    super('_form', teamTask ? 'Only the team leader submits a team task. Members can edit the draft.' : 'Only the participant can submit their own work.');
  }
}
