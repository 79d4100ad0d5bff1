import { Inject, Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { holdsCourseRole } from '../common/permissions';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CoursesService } from '../courses/courses.service';
import { composeMail } from '../mail/compose';
import { OutboxService } from '../outbox/outbox.service';
import { UsersService } from '../users/users.service';
import { defaultMode, type DeliveryMode, type NotificationKind } from './notification-kinds';
import { Notification, NotificationPreference, type EmailState } from './notification.entity';

/** One notification for one person, before preferences and e-mail are applied. */
export interface NotificationDraft {
  userId: number;
  kind: NotificationKind;
  courseId: number | null;
  title: string;
  /** A path within Atelier. */
  href: string;
  /** Unique per person: what this notification comes from ("event:42", "reminder:9:24:…"). */
  dedupeKey: string;
  /** Told only while the person's site role lets them hold this course role (a demoted facilitator is not told as one). */
  asStaff?: 'facilitator' | 'expert';
  /** The e-mail's paragraphs, with times in the recipient's zone (`zone`) and the course's beside them (`courseZone`). */
  lines: (zone: string, courseZone: string | null) => string[];
}

const STATE_FOR: Record<DeliveryMode, EmailState> = { immediately: 'immediate', digest: 'digest_pending', off: 'none' };

export const PREFERENCES_PATH = '/account/notifications';

/**
 * Turns drafts into notifications inside the caller's transaction: drops people who are
 * deactivated (or no longer hold the staff role), anything already told (the dedupe key), and
 * duplicates; applies each person's preference for the kind; queues the e-mail of "immediately"
 * in the same transaction (the outbox), so the notification and its e-mail exist together or not
 * at all. A constant number of queries, plus one INSERT per e-mail.
 */
@Injectable()
export class NotificationDelivery {
  constructor(
    private readonly users: UsersService,
    private readonly courses: CoursesService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(em: EntityManager, drafts: NotificationDraft[], now: Date): Promise<number> {
    if (!drafts.length) return 0;
    const people = await this.users.people(drafts.map((d) => d.userId));
    const seen = new Set<string>();
    let wanted = drafts.filter((d) => {
      const p = people.get(d.userId);
      const key = `${d.userId} ${d.dedupeKey}`;
      if (!p || !p.active || seen.has(key) || (d.asStaff && !holdsCourseRole(p.role, d.asStaff))) return false;
      seen.add(key);
      return true;
    });
    if (!wanted.length) return 0;
    const userIds = [...new Set(wanted.map((d) => d.userId))];
    const told = await em
      .getRepository(Notification)
      .find({ where: { userId: In(userIds), dedupeKey: In([...new Set(wanted.map((d) => d.dedupeKey))]) }, select: { userId: true, dedupeKey: true } });
    const already = new Set(told.map((n) => `${n.userId} ${n.dedupeKey}`));
    wanted = wanted.filter((d) => !already.has(`${d.userId} ${d.dedupeKey}`));
    if (!wanted.length) return 0;
    const prefs = await em.getRepository(NotificationPreference).find({ where: { userId: In(userIds) } });
    const modeOf = (d: NotificationDraft) =>
      (prefs.find((p) => p.userId === d.userId && p.kind === d.kind)?.mode as DeliveryMode | undefined) ?? defaultMode(d.kind);
    const courses = await this.courses.briefs(wanted.map((d) => d.courseId).filter((id): id is number => id !== null));
    const rows = wanted.map((d) => ({
      userId: d.userId,
      kind: d.kind,
      courseId: d.courseId,
      title: d.title.slice(0, 300),
      href: d.href,
      dedupeKey: d.dedupeKey,
      createdAt: now,
      readAt: null,
      emailState: STATE_FOR[modeOf(d)] ?? 'immediate',
    }));
    for (let i = 0; i < rows.length; i += 200) await em.getRepository(Notification).insert(rows.slice(i, i + 200));
    const base = this.config.publicBaseUrl;
    for (const [i, d] of wanted.entries()) {
      if (rows[i].emailState !== 'immediate') continue;
      const person = people.get(d.userId)!;
      const course = d.courseId !== null ? courses.get(d.courseId) : undefined;
      const mail = composeMail({
        courseTitle: course?.title ?? null,
        subject: d.title,
        lines: d.lines(person.timeZone, course?.timeZone ?? null),
        action: { label: 'Open in Atelier', url: `${base}${d.href}` },
        preferencesUrl: `${base}${PREFERENCES_PATH}`,
      });
      await this.outbox.enqueue(em, { kind: 'notification', to: person.email, userId: person.id, courseId: d.courseId, ...mail });
    }
    return rows.length;
  }
}
