import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { formatInstant } from '../common/time';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { SessionUser } from '../users/user.view';
import { CalendarFeedsService } from './calendar-feeds.service';

declare module 'express-session' {
  interface SessionData {
    /** A feed token just made, shown once on the next page and then forgotten. */
    calendarFeedToken?: string;
  }
}

/** Keeps a new feed token for the next page (POST → redirect → GET): it is not stored anywhere else. */
export function keepIssuedToken(req: Request, token: string): void {
  if (req.session) req.session.calendarFeedToken = token;
}

/** The token kept by keepIssuedToken, once. */
export function takeIssuedToken(req: Request): string | null {
  const token = req.session?.calendarFeedToken ?? null;
  if (req.session?.calendarFeedToken) delete req.session.calendarFeedToken;
  return token;
}

/** "Calendar feed": whether the person has a feed address, the address itself just after it is made, and how to subscribe. */
@Injectable()
export class CalendarPage {
  constructor(
    private readonly feeds: CalendarFeedsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async page(me: SessionUser, justIssued: string | null) {
    const feed = await this.feeds.current(me.id);
    const url = feed && justIssued ? `${this.config.publicBaseUrl.replace(/\/$/, '')}/calendar/${justIssued}.ics` : null;
    return {
      title: 'Calendar feed',
      nav: 'account',
      hasFeed: feed !== null,
      createdAt: feed ? formatInstant(feed.createdAt, me.timeZone) : null,
      feedUrl: url,
      webcalUrl: url ? url.replace(/^https?:\/\//, 'webcal://') : null,
    };
  }
}
