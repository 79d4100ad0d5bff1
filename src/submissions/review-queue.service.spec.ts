import { QUEUE_PAGE, ReviewQueueService, type WaitingRow } from './review-queue.service';

const row = (i: number, courseId: number): WaitingRow => ({
  id: i,
  status: 'submitted',
  statusLabel: 'Submitted',
  late: i % 3 === 0,
  courseId,
  courseTitle: `Workshop ${courseId}`,
  taskId: 100 + (i % 5),
  taskTitle: `Task ${i % 5}`,
  owner: `Team ${i % 7}`,
  teamId: 1000 + (i % 7),
  href: `/courses/${courseId}/tasks/${100 + (i % 5)}/submissions/team-${1000 + (i % 7)}`,
  latest: 1,
  waitingSince: new Date(Date.UTC(2024, 9, 1, 0, i)),
});

describe('ReviewQueueService.filtered', () => {
  // filtered() reads nothing: it works on rows `waiting` read.
  const service = new ReviewQueueService(null as never, null as never, null as never, null as never, null as never, null as never);

  it('lists the oldest QUEUE_PAGE but counts every match (the dashboard and the home show the count)', () => {
    const waiting = [...Array.from({ length: 250 }, (_, i) => row(i, 1)), ...Array.from({ length: 40 }, (_, i) => row(300 + i, 2))];
    const all = service.filtered(waiting, {});
    expect(all.rows).toHaveLength(QUEUE_PAGE);
    expect(all.total).toBe(290);
    expect(all.rows[0].id).toBe(0);
    const one = service.filtered(waiting, { course: 1 });
    expect(one.total).toBe(250);
    expect(one.rows).toHaveLength(QUEUE_PAGE);
    const small = service.filtered(waiting, { course: 2 });
    expect(small.total).toBe(40);
    expect(small.rows).toHaveLength(40);
    const late = service.filtered(waiting, { course: 1, late: true });
    expect(late.total).toBe(waiting.filter((r) => r.courseId === 1 && r.late).length);
  });

  it('cuts the list into pages of QUEUE_PAGE, oldest first; a page past the last is the last, one before the first the first', () => {
    const waiting = Array.from({ length: 2 * QUEUE_PAGE + 10 }, (_, i) => row(i, 1));
    const second = service.filtered(waiting, { page: 2 });
    expect(second).toMatchObject({ page: 2, pages: 3, first: QUEUE_PAGE + 1, total: 2 * QUEUE_PAGE + 10 });
    expect(second.rows.map((r) => r.id)).toEqual(Array.from({ length: QUEUE_PAGE }, (_, i) => QUEUE_PAGE + i));
    const past = service.filtered(waiting, { page: 99 });
    expect(past).toMatchObject({ page: 3, first: 2 * QUEUE_PAGE + 1 });
    expect(past.rows.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => 2 * QUEUE_PAGE + i));
    expect(service.filtered(waiting, { page: 0 })).toMatchObject({ page: 1, first: 1 });
    // The filter first, then the pages: the late ones only, paged among themselves.
    const late = service.filtered(waiting, { late: true, page: 1 });
    expect(late.rows.every((r) => r.late)).toBe(true);
    expect(service.filtered([], { page: 3 })).toMatchObject({ page: 1, pages: 1, rows: [], total: 0 });
  });
});
