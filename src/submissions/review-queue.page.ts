import type { QueueQuery } from './dto/review-queue.dto';
import type { ReviewQueueService } from './review-queue.service';
import { AWAITING_REVIEW, STATUS_LABELS } from './workflow';

type Queue = Awaited<ReturnType<ReviewQueueService['queue']>>;

/** The review queue page's view model: the rows, and the filter with its choices. */
export function reviewQueuePage(q: Queue, query: QueueQuery) {
  // A value from the address that is not among the choices stays selected as what it is.
  const chosen = (list: { value: string; label: string }[], id: number | undefined) =>
    id && !list.some((o) => o.value === String(id)) ? [...list, { value: String(id), label: 'The one in the address (nothing waiting)' }] : list;
  return {
    title: 'Review queue',
    nav: 'reviews',
    rows: q.rows,
    total: q.total,
    /** Only the oldest QUEUE_SHOWN are listed: the page says so. */
    cut: q.total > q.rows.length ? q.rows.length : null,
    courses: chosen(q.courses, query.course),
    tasks: chosen(q.tasks, query.task),
    teams: chosen(q.teams, query.team),
    unmatched: q.unmatched.length ? q.unmatched.join(', ').replace(/, ([^,]*)$/, ' or $1') : null,
    statuses: AWAITING_REVIEW.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
    values: {
      course: query.course ? String(query.course) : '',
      task: query.task ? String(query.task) : '',
      team: query.team ? String(query.team) : '',
      status: query.status ?? '',
      late: query.late ? '1' : '',
    },
  };
}
