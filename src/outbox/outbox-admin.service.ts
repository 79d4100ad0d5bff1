import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { pageLinks } from '../common/pagination';
import { Database } from '../database/database.service';
import { OutboxMessage, type OutboxStatus } from './outbox-message.entity';

export const OUTBOX_PAGE_SIZE = 50;

const KIND_LABELS: Record<string, string> = {
  invitation: 'Invitation',
  password_reset: 'Password reset',
  notification: 'Notification',
  digest: 'Digest',
};

/** One message as the administrators' page shows it: who, what, how it went. Never the text or HTML (links carry tokens). */
export interface OutboxRowView {
  id: number;
  to: string;
  subject: string;
  kind: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  failed: boolean;
}

/**
 * The administrators' view of the outbox and the one thing they do there: send a failed message
 * again. "Send again" gives it one more attempt now; if that fails too it is 'failed' again.
 */
@Injectable()
export class OutboxAdminService {
  constructor(private readonly db: Database) {}

  /** Failed messages first (newest first), then those waiting (soonest first), then those sent (newest first). Three queries. */
  async page(requested = 1) {
    const counts = await this.db
      .repo(OutboxMessage)
      .createQueryBuilder('m')
      .select('m.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('m.status')
      .getRawMany<{ status: OutboxStatus; n: number | string }>();
    const count = (s: OutboxStatus) => Number(counts.find((c) => c.status === s)?.n ?? 0);
    const total = count('failed') + count('queued') + count('sent');
    const pages = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
    const page = Math.min(Math.max(1, requested), pages);
    const rows = await this.db
      .repo(OutboxMessage)
      .createQueryBuilder('m')
      .select(['m.id', 'm.toAddress', 'm.subject', 'm.kind', 'm.status', 'm.attempts', 'm.lastError', 'm.createdAt', 'm.nextAttemptAt', 'm.sentAt'])
      .addSelect("CASE m.status WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END", 'rank')
      .addSelect("CASE WHEN m.status = 'queued' THEN m.next_attempt_at ELSE NULL END", 'due')
      .orderBy('rank', 'ASC')
      .addOrderBy('due', 'ASC')
      .addOrderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .offset((page - 1) * OUTBOX_PAGE_SIZE)
      .limit(OUTBOX_PAGE_SIZE)
      .getMany();
    return {
      counts: { failed: count('failed'), queued: count('queued'), sent: count('sent') },
      total,
      rows: rows.map(toRow),
      pagination: pageLinks('/admin/outbox', {}, page, pages),
    };
  }

  /** A failed message back in the queue, due now. Anything else (unknown, waiting, sent): 404. */
  async retry(id: number): Promise<OutboxRowView> {
    return this.db.tx(async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const r = await repo.update({ id, status: 'failed' }, { status: 'queued', nextAttemptAt: new Date(), lockedUntil: null });
      if (r.affected !== 1) throw new NotFoundError('There is no failed message with this number (it may have been sent again already).');
      return toRow(await repo.findOneByOrFail({ id }));
    });
  }

  /** Every failed message back in the queue; how many. */
  async retryAllFailed(): Promise<number> {
    return this.db.tx(async (em) => {
      const r = await em.getRepository(OutboxMessage).update({ status: 'failed' }, { status: 'queued', nextAttemptAt: new Date(), lockedUntil: null });
      return r.affected ?? 0;
    });
  }
}

function toRow(m: OutboxMessage): OutboxRowView {
  return {
    id: m.id,
    to: m.toAddress,
    subject: m.subject,
    kind: KIND_LABELS[m.kind] ?? m.kind,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt,
    nextAttemptAt: m.status === 'queued' ? m.nextAttemptAt : null,
    sentAt: m.sentAt,
    failed: m.status === 'failed',
  };
}
