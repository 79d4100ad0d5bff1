import { SUBMISSION_STATUSES } from './submission.entity';
import { canDo, submitAction, transition, TransitionError, WORKFLOW, type WorkflowAction } from './workflow';

describe('submission workflow', () => {
  it.each([
    ['edit', 'not_started', 'draft'],
    ['submit', 'not_started', 'submitted'],
    ['submit', 'draft', 'submitted'],
    ['startReview', 'submitted', 'in_review'],
    ['requestChanges', 'in_review', 'changes_requested'],
    ['resubmit', 'changes_requested', 'resubmitted'],
    ['startReview', 'resubmitted', 'in_review'],
    ['accept', 'in_review', 'accepted'],
    ['reopen', 'accepted', 'changes_requested'],
  ] as const)('%s from %s → %s', (action, from, to) => {
    expect(transition(action, from)).toBe(to);
  });

  it.each([
    ['submit', 'submitted'],
    ['submit', 'in_review'],
    ['submit', 'accepted'],
    ['resubmit', 'draft'],
    ['accept', 'submitted'],
    ['requestChanges', 'changes_requested'],
    ['reopen', 'in_review'],
    ['startReview', 'accepted'],
  ] as const)('refuses %s from %s', (action, from) => {
    expect(() => transition(action, from)).toThrow(TransitionError);
  });

  it('leads only to known statuses and starts only from known ones', () => {
    for (const [, rule] of Object.entries(WORKFLOW)) {
      expect(SUBMISSION_STATUSES).toContain(rule.to);
      for (const f of rule.from) expect(SUBMISSION_STATUSES).toContain(f);
    }
  });

  it('reaches every status from not started', () => {
    const seen = new Set<string>(['not_started']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const action of Object.keys(WORKFLOW) as WorkflowAction[]) {
        for (const s of [...seen])
          if (canDo(action, s as never) && !seen.has(WORKFLOW[action].to)) {
            seen.add(WORKFLOW[action].to);
            grew = true;
          }
      }
    }
    expect([...seen].sort()).toEqual([...SUBMISSION_STATUSES].sort());
  });

  it('chooses submit or resubmit', () => {
    expect(submitAction('draft')).toBe('submit');
    expect(submitAction('changes_requested')).toBe('resubmit');
    expect(submitAction('in_review')).toBeNull();
  });
});
