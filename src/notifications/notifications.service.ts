import { Injectable } from '@nestjs/common';
import { In, IsNull, type EntityManager } from 'typeorm';
import { findOrFail } from '../common/errors';
import { pageLinks } from '../common/pagination';
import { CoursesService } from '../courses/courses.service';
import { Database } from '../database/database.service';
import { DELIVERY_MODES, type DeliveryMode, MODE_LABELS, NOTIFICATION_KINDS } from './notification-kinds';
import { Notification, NotificationDigest, NotificationPreference } from './notification.entity';

export const NOTIFICATIONS_PAGE_SIZE = 25;

/** A person's notifications and preferences: the pages, the header's count, and what the digest needs. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesService,
  ) {}

  /** How many of the person's notifications are unread (one query; the header shows it on every page). */
  async unreadCount(userId: number): Promise<number> {
    const rows = await this.db.rows<{ n: number | string }>`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`;
    return Number(rows[0]?.n ?? 0);
  }

  /** One page of the person's notifications, newest first (three queries: count, page, workshops' titles; the unread count is the header's). */
  async page(userId: number, pageNo = 1) {
    const total = await this.db.repo(Notification).countBy({ userId });
    const pages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE));
    const page = Math.min(Math.max(1, pageNo), pages);
    const rows = await this.db
      .repo(Notification)
      .find({ where: { userId }, order: { id: 'DESC' }, skip: (page - 1) * NOTIFICATIONS_PAGE_SIZE, take: NOTIFICATIONS_PAGE_SIZE });
    const courses = await this.courses.briefs(rows.map((n) => n.courseId).filter((id): id is number => id !== null));
    return {
      title: 'Notifications',
      nav: 'notifications',
      total,
      items: rows.map((n) => ({
        id: n.id,
        title: n.title,
        href: n.href,
        courseTitle: n.courseId !== null ? (courses.get(n.courseId)?.title ?? null) : null,
        createdAt: n.createdAt,
        unread: n.readAt === null,
      })),
      pageNo: page,
      pagination: pageLinks('/notifications', {}, page, pages),
    };
  }

  /** Marks one of the person's notifications read; someone else's (or none) is 404. */
  async markRead(userId: number, id: number, now = new Date()): Promise<void> {
    await this.db.tx(async (em) => {
      const n = findOrFail(await em.getRepository(Notification).findOneBy({ id, userId }));
      if (n.readAt === null) await em.getRepository(Notification).update({ id: n.id }, { readAt: now });
    });
  }

  /** Marks all the person's notifications read; answers how many were unread. */
  async markAllRead(userId: number, now = new Date()): Promise<number> {
    return this.db.tx(async (em) => (await em.getRepository(Notification).update({ userId, readAt: IsNull() }, { readAt: now })).affected ?? 0);
  }

  /** The preferences form: one row per kind with the person's choice (or the default). */
  async preferences(userId: number) {
    const rows = await this.db.repo(NotificationPreference).findBy({ userId });
    const values = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k.kind, rows.find((r) => r.kind === k.kind)?.mode ?? k.default]));
    return preferencesView(values);
  }

  /** Saves the person's choice for every kind (the form sends all of them; a missing one keeps its value). */
  async savePreferences(userId: number, choice: Partial<Record<string, DeliveryMode>>): Promise<void> {
    await this.db.tx(async (em) => {
      const repo = em.getRepository(NotificationPreference);
      const existing = await repo.findBy({ userId });
      for (const { kind } of NOTIFICATION_KINDS) {
        const mode = choice[kind];
        if (!mode) continue;
        const row = existing.find((r) => r.kind === kind);
        if (row && row.mode !== mode) await repo.update({ id: row.id }, { mode });
        else if (!row) await repo.insert({ userId, kind, mode });
      }
    });
  }

  // For the digest job

  /** People with notifications waiting for their digest (one query). */
  async digestWaitingUserIds(): Promise<number[]> {
    const rows = await this.db.rows<{ userId: number | string }>`SELECT DISTINCT user_id AS "userId" FROM notifications WHERE email_state = 'digest_pending'`;
    return rows.map((r) => Number(r.userId));
  }

  /** Which of these people already had their digest on these local days, as "userId date" (one query). */
  async digestsSent(userIds: number[], days: string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows = await this.db
      .repo(NotificationDigest)
      .find({ where: { userId: In(userIds), localDate: In(days) }, select: { userId: true, localDate: true } });
    return new Set(rows.map((r) => `${r.userId} ${r.localDate}`));
  }

  /** The notifications waiting for these people's digests, oldest first (one query). */
  async digestPending(userIds: number[]) {
    if (!userIds.length) return [];
    const rows = await this.db.repo(Notification).find({ where: { userId: In(userIds), emailState: 'digest_pending' }, order: { id: 'ASC' } });
    return rows.map((n) => ({ id: n.id, userId: n.userId, courseId: n.courseId, title: n.title, href: n.href, createdAt: n.createdAt }));
  }

  /**
   * Inside the digest's transaction: records the person's digest for the local day (unique, so a
   * second worker's attempt fails and rolls back) and marks the listed notifications digested.
   * Answers false when the day's digest was already recorded.
   */
  async claimDigest(em: EntityManager, userId: number, localDate: string, ids: number[], now: Date): Promise<boolean> {
    if (await em.getRepository(NotificationDigest).existsBy({ userId, localDate })) return false;
    await em.getRepository(NotificationDigest).insert({ userId, localDate, sentAt: now, items: ids.length });
    await em.getRepository(Notification).update({ id: In(ids), emailState: 'digest_pending' }, { emailState: 'digested' });
    return true;
  }
}

/** The preferences page's view model, from values by kind (stored, or as typed when the form comes back). */
export function preferencesView(values: Record<string, unknown>) {
  return {
    title: 'Notification settings',
    nav: 'account',
    kinds: NOTIFICATION_KINDS.map((k) => ({
      kind: k.kind,
      label: k.label,
      who: k.who,
      defaultLabel: MODE_LABELS[k.default],
      options: DELIVERY_MODES.map((mode) => ({ mode, label: MODE_LABELS[mode], checked: values[k.kind] === mode, id: `f-${k.kind}-${mode}` })),
    })),
    values,
  };
}
