import { Controller, Get, Query, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import { Allow } from '../common/access.decorator';
import { EmptyToUndefined, ToInt } from '../common/form-fields';
import { Transform } from 'class-transformer';
import { ReviewQueueService } from './review-queue.service';

class QueueQuery {
  @ToInt()
  @IsOptional()
  @IsInt()
  course?: number;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['submitted', 'resubmitted', 'in_review'])
  status?: 'submitted' | 'resubmitted' | 'in_review';

  @ToInt()
  @IsOptional()
  @IsInt()
  task?: number;

  @ToInt()
  @IsOptional()
  @IsInt()
  team?: number;

  @Transform(({ value }) => value === '1' || value === 'on')
  @IsOptional()
  late?: boolean;
}

@Controller('reviews')
export class ReviewsController {
  constructor(private readonly queue: ReviewQueueService) {}

  @Get()
  @Allow('reviews.queue')
  @Render('reviews/queue')
  async index(@Req() req: Request, @Query() query: QueueQuery) {
    const q = await this.queue.queue(req.user!, query);
    // A value from the address that is not among the choices stays selected as what it is.
    const chosen = (list: { value: string; label: string }[], id: number | undefined) =>
      id && !list.some((o) => o.value === String(id)) ? [...list, { value: String(id), label: 'The one in the address (nothing waiting)' }] : list;
    return {
      title: 'Review queue',
      nav: 'reviews',
      rows: q.rows,
      total: q.total,
      courses: chosen(q.courses, query.course),
      tasks: chosen(q.tasks, query.task),
      teams: chosen(q.teams, query.team),
      unmatched: q.unmatched.length ? q.unmatched.join(', ').replace(/, ([^,]*)$/, ' or $1') : null,
      statuses: [
        { value: 'submitted', label: 'Submitted' },
        { value: 'resubmitted', label: 'Resubmitted' },
        { value: 'in_review', label: 'In review' },
      ],
      values: { course: query.course ? String(query.course) : '', task: query.task ? String(query.task) : '', team: query.team ? String(query.team) : '', status: query.status ?? '', late: query.late ? '1' : '' },
    };
  }
}
