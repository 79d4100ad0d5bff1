import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public, SignedIn } from '../common/access.decorator';
import { flash } from '../common/flash';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarPage, keepIssuedToken, takeIssuedToken } from './calendar-page';

/** The person's own feed address: make it, replace it, turn it off. Nobody manages anyone else's. */
@Controller('account/calendar')
@SignedIn()
export class CalendarAccountController {
  constructor(
    private readonly pages: CalendarPage,
    private readonly feeds: CalendarFeedsService,
  ) {}

  @Get()
  @Render('calendar/show')
  show(@Req() req: Request) {
    return this.pages.page(req.user!, takeIssuedToken(req));
  }

  @Post()
  async create(@Req() req: Request, @Res() res: Response) {
    keepIssuedToken(req, await this.feeds.issue(req.user!.id));
    flash(req, 'success', 'Your calendar feed address is ready. Copy it now: it is shown only once.');
    res.redirect(303, '/account/calendar');
  }

  @Post('replace')
  async replace(@Req() req: Request, @Res() res: Response) {
    keepIssuedToken(req, await this.feeds.issue(req.user!.id));
    flash(req, 'success', 'Your calendar feed has a new address; the old one no longer works. Copy the new one now: it is shown only once.');
    res.redirect(303, '/account/calendar');
  }

  @Post('off')
  async turnOff(@Req() req: Request, @Res() res: Response) {
    await this.feeds.turnOff(req.user!.id);
    flash(req, 'success', 'Your calendar feed is off; its address no longer works.');
    res.redirect(303, '/account/calendar');
  }
}

/** The feed itself, for calendar apps: no session, the secret token in the address. */
@Controller('calendar')
@Public()
export class CalendarFeedController {
  constructor(private readonly feed: CalendarFeedService) {}

  @Get(':token.ics')
  async show(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    const ics = await this.feed.feed(token, req.ip ?? 'unknown');
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Content-Disposition', 'inline; filename="atelier.ics"');
    // Read by calendar apps, never rendered: a browser that opens it anyway runs nothing in it.
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.send(ics);
  }
}
