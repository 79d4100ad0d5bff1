import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SignedIn } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe } from '../common/ids';
import { NotificationListQuery, NotificationPreferencesDto } from './dto/notifications.dto';
import { NotificationsService, preferencesView } from './notifications.service';

/** A person's own notifications and their settings; nobody sees or marks anyone else's. */
@Controller()
@SignedIn()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @Render('notifications/index')
  index(@Query() query: NotificationListQuery, @Req() req: Request) {
    return this.notifications.page(req.user!.id, query.page);
  }

  @Post('notifications/read')
  async markAllRead(@Req() req: Request, @Res() res: Response) {
    const n = await this.notifications.markAllRead(req.user!.id);
    flash(req, 'success', n ? `${n === 1 ? 'One notification' : `${n} notifications`} marked as read.` : 'Everything was already read.');
    res.redirect(303, '/notifications');
  }

  @Post('notifications/:id/read')
  async markRead(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    await this.notifications.markRead(req.user!.id, id);
    res.redirect(303, '/notifications');
  }

  @Get('account/notifications')
  @Render('notifications/preferences')
  preferences(@Req() req: Request) {
    return this.notifications.preferences(req.user!.id);
  }

  @Post('account/notifications')
  @FormView('notifications/preferences', 'preferencesAgain')
  async savePreferences(@Body() form: NotificationPreferencesDto, @Req() req: Request, @Res() res: Response) {
    await this.notifications.savePreferences(req.user!.id, { ...form });
    flash(req, 'success', 'Your notification settings have been saved.');
    res.redirect(303, '/account/notifications');
  }

  /** The form as it came back (422): the choices the person made, not the stored ones. */
  preferencesAgain(req: Request) {
    return preferencesView((req.body ?? {}) as Record<string, unknown>);
  }
}
