import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Database } from '../database/database.service';
import { CalendarFeed } from './calendar-feed.entity';

/** A feed token: 256 random bits, URL-safe (43 characters). Anything else is never looked up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Each person's secret calendar feed address. Only the token's SHA-256 is stored, so the address
 * can be shown once, when it is made; replacing it makes the old one stop working at once, and
 * turning the feed off deletes the row.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(private readonly db: Database) {}

  /** When this person's feed address was made, or null when they have none (one query). */
  async current(userId: number): Promise<{ createdAt: Date } | null> {
    const feed = await this.db.repo(CalendarFeed).findOne({ where: { userId }, select: { id: true, createdAt: true } });
    return feed ? { createdAt: feed.createdAt } : null;
  }

  /** A new feed address for this person, replacing any they had: returns the token (shown once, never stored). */
  async issue(userId: number, now = new Date()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.tx(async (em) => {
      await em.getRepository(CalendarFeed).delete({ userId });
      await em.getRepository(CalendarFeed).insert({ userId, tokenHash: hashOf(token), createdAt: now });
    });
    return token;
  }

  /** Turns this person's feed off: the address stops working at once. */
  async turnOff(userId: number): Promise<void> {
    await this.db.tx((em) => em.getRepository(CalendarFeed).delete({ userId }));
  }

  /**
   * Whose feed this token opens, or null (malformed, unknown or replaced). The lookup is by the
   * token's hash through a unique index, and the stored hash is compared in constant time.
   */
  async ownerOf(token: string): Promise<number | null> {
    if (!TOKEN.test(token)) return null;
    const hash = hashOf(token);
    const feed = await this.db.repo(CalendarFeed).findOne({ where: { tokenHash: hash }, select: { userId: true, tokenHash: true } });
    if (!feed || !timingSafeEqual(Buffer.from(feed.tokenHash, 'utf8'), Buffer.from(hash, 'utf8'))) return null;
    return feed.userId;
  }
}
