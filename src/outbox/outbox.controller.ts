import { Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow } from '../common/access.decorator';
import { flash } from '../common/flash';
import { IdPipe } from '../common/ids';
import { OutboxListQuery } from './dto/outbox.dto';
import { OutboxAdminService } from './outbox-admin.service';

/** The administrators' outbox page: what failed, what waits, what went; sending failed mail again. */
@Controller('admin/outbox')
@Allow('outbox.manage')
export class OutboxController {
  constructor(private readonly outbox: OutboxAdminService) {}

  @Get()
  @Render('outbox/index')
  async index(@Query() query: OutboxListQuery) {
    return { title: 'E-mail outbox', nav: 'outbox', ...(await this.outbox.page(query.page)) };
  }

  @Post('retry-failed')
  async retryAll(@Req() req: Request, @Res() res: Response) {
    const n = await this.outbox.retryAllFailed();
    flash(req, 'success', n ? `${n === 1 ? '1 failed message is' : `${n} failed messages are`} queued to be sent again.` : 'There were no failed messages.');
    res.redirect(303, '/admin/outbox');
  }

  @Post(':id/retry')
  async retry(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const m = await this.outbox.retry(id);
    flash(req, 'success', `The message to ${m.to} is queued to be sent again.`);
    res.redirect(303, '/admin/outbox');
  }
}
