import { DomainError, FormInvalidError } from '../common/errors';
import {
  AlreadyAcceptedError,
  AlreadySubmittedError,
  CutOffPassedError,
  DraftConflictError,
  NothingToReviewError,
  NothingToSubmitError,
  NotTheSubmitterError,
  StaleDraftError,
  StaleVersionError,
  TaskNotOpenError,
} from './submissions.errors';

describe('submission state conflicts', () => {
  it.each([
    [new AlreadySubmittedError(3), 'AlreadySubmittedError', '_form', 'Already submitted as version 3 and waiting for review: nothing new was submitted.'],
    [new AlreadySubmittedError(null), 'AlreadySubmittedError', '_form', 'Already submitted and waiting for review: nothing new was submitted.'],
    [
      AlreadyAcceptedError.onSubmit(),
      'AlreadyAcceptedError',
      '_form',
      'This submission has been accepted. A facilitator can reopen it if more changes are needed.',
    ],
    [
      AlreadyAcceptedError.onDraft(),
      'AlreadyAcceptedError',
      'text',
      'This submission has been accepted; a facilitator can reopen it if more changes are needed.',
    ],
    [
      new NothingToSubmitError(['The draft is empty: write the text or attach files before submitting.']),
      'NothingToSubmitError',
      '_form',
      'The draft is empty: write the text or attach files before submitting.',
    ],
    [
      new StaleDraftError(),
      'StaleDraftError',
      '_form',
      'The draft changed since you opened this page (someone saved it). Look at the current draft, then submit again.',
    ],
    [
      new StaleVersionError(4, 3),
      'StaleVersionError',
      '_form',
      'Version 4 was submitted after you opened version 3: review the latest version. Your text is kept below.',
    ],
    [new NothingToReviewError('accepted'), 'NothingToReviewError', '_form', 'This submission is accepted: there is nothing to review now.'],
    [new TaskNotOpenError(), 'TaskNotOpenError', '_form', 'This task is not open yet.'],
    [
      CutOffPassedError.onDraft(),
      'CutOffPassedError',
      '_form',
      'The cut-off for this task has passed: the draft can no longer change. Ask a facilitator for an extension.',
    ],
    [
      CutOffPassedError.onSubmit(),
      'CutOffPassedError',
      '_form',
      'The cut-off for this task has passed, so it no longer accepts submissions. Ask a facilitator for an extension.',
    ],
    [new NotTheSubmitterError(true), 'NotTheSubmitterError', '_form', 'Only the team leader submits a team task. Members can edit the draft.'],
    [new NotTheSubmitterError(false), 'NotTheSubmitterError', '_form', 'Only the participant can submit their own work.'],
  ])('%#: %s is a form error (422 beside the form) named %s, at %s', (error, name, field, message) => {
    expect(error).toBeInstanceOf(FormInvalidError);
    expect(error.name).toBe(name);
    expect(error.fields).toEqual({ [field]: [message] });
  });

  it('a draft conflict is a 409 carrying both texts', () => {
    const e = new DraftConflictError('mine', 'theirs', 7, 'Ana', null);
    expect(e).toBeInstanceOf(DomainError);
    expect([e.status, e.title, e.theirsRevision, e.theirsBy]).toEqual([409, 'Edited by someone else', 7, 'Ana']);
  });
});
