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
    const c = await this.queue.choices(req.user!, query);
    const q = await this.queue.queue(req.user!, c.filter);
    const f = c.filter;
    return {
      title: 'Review queue',
      nav: 'reviews',
      rows: q.rows,
      total: q.total,
      courses: c.courses,
      tasks: c.tasks,
      teams: c.teams,
      ignored: c.ignored,
      statuses: [
        { value: 'submitted', label: 'Submitted' },
        { value: 'resubmitted', label: 'Resubmitted' },
        { value: 'in_review', label: 'In review' },
      ],
      values: { course: f.course ? String(f.course) : '', task: f.task ? String(f.task) : '', team: f.team ? String(f.team) : '', status: f.status ?? '', late: f.late ? '1' : '' },
    };
  }
}
