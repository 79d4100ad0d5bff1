import { Controller, Get, Query, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Allow } from '../common/access.decorator';
import { QueueQuery } from './dto/review-queue.dto';
import { reviewQueuePage } from './review-queue.page';
import { ReviewQueueService } from './review-queue.service';

/** The review queue: work waiting for this person's feedback, across their courses. */
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly queue: ReviewQueueService) {}

  @Get()
  @Allow('reviews.queue')
  @Render('reviews/queue')
  async index(@Req() req: Request, @Query() query: QueueQuery) {
    return reviewQueuePage(await this.queue.queue(req.user!, query), query);
  }
}
