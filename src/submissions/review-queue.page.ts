import { pageLinks } from '../common/pagination';
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
    /** "51 to 100": which rows this page lists, when there is more than one page. */
    shown: q.pages > 1 ? { from: q.first, to: q.first + q.rows.length - 1 } : null,
    pagination: pageLinks(
      '/reviews',
      { course: query.course, task: query.task, team: query.team, status: query.status, late: query.late ? '1' : '' },
      q.page,
      q.pages,
    ),
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
