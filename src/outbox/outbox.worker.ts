import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { Database } from '../database/database.service';
import { MailService, SEND_TIMEOUT_MS } from '../mail/mail.service';
import { OutboxMessage } from './outbox-message.entity';

/** 1 minute after the first failure, then 2, 4, 8 … minutes, never more than 6 hours. */
export function defaultBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

export interface DrainResult {
  sent: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Failed for the last time: status 'failed', waiting for an administrator. */
  failed: number;
}

/**
 * Sends the outbox. `drain(now)` repeatedly claims a batch of due messages in a short transaction
 * (a lease: `locked_until`), sends each one outside any transaction, then records the outcome in
 * another short transaction, fenced by the lease it holds. On PostgreSQL the claim reads with
 * `FOR UPDATE SKIP LOCKED`, so workers in several processes take disjoint batches; on SQLite the
 * serialised transaction does the same within the one process.
 *
 * Exactly once: only the worker whose lease is still on the row may mark it sent or failed, and a
 * worker never starts a send when less than the longest send time (SEND_TIMEOUT_MS) is left of its
 * lease, so no other worker can take a message while it is being sent. Should the process die
 * between the server's acceptance and the mark (a window of one UPDATE), the message is sent again
 * after the lease: at least once, never lost.
 */
@Injectable()
export class OutboxWorker {
  private readonly logger = new Logger('Outbox');
  batchSize = 20;
  /** How long a claim holds a batch: enough for every message of it to take the longest send time. */
  leaseMs = 20 * SEND_TIMEOUT_MS + 60_000;
  /** At most this many messages per drain, so one run of the worker loop stays bounded. */
  maxPerDrain = 500;
  /** After this many failed attempts a message is 'failed' (an administrator may send it again). */
  maxAttempts = 8;
  backoffMs: (attempts: number) => number = defaultBackoffMs;

  constructor(
    private readonly db: Database,
    private readonly mail: MailService,
  ) {}

  async drain(now: Date = new Date(), shouldStop: () => boolean = () => false): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
    const startedAt = performance.now();
    // The given instant moves on with the real clock (tests may give one in the future).
    const clock = () => new Date(now.getTime() + (performance.now() - startedAt));
    let handled = 0;
    while (handled < this.maxPerDrain && !shouldStop()) {
      const claimedAt = clock();
      const lease = new Date(claimedAt.getTime() + this.leaseMs);
      const batch = await this.claim(claimedAt, lease, Math.min(this.batchSize, this.maxPerDrain - handled));
      if (!batch.length) break;
      for (const [i, message] of batch.entries()) {
        if (shouldStop() || clock().getTime() + SEND_TIMEOUT_MS > lease.getTime()) {
          await this.release(batch.slice(i), lease);
          return result;
        }
        const outcome = await this.sendOne(message, lease, clock);
        result[outcome]++;
        handled++;
      }
      if (batch.length < this.batchSize) break;
    }
    return result;
  }

  /** Takes up to `n` due messages nobody holds: they are this worker's until `lease`. */
  private claim(now: Date, lease: Date, n: number): Promise<OutboxMessage[]> {
    return this.db.tx(async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const due = repo
        .createQueryBuilder('m')
        .select('m.id', 'id')
        .where("m.status = 'queued'")
        .andWhere('m.next_attempt_at <= :now', { now })
        .andWhere('(m.locked_until IS NULL OR m.locked_until < :now)', { now })
        .orderBy('m.next_attempt_at', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .limit(n);
      if (this.db.isPostgres) due.setLock('pessimistic_write').setOnLocked('skip_locked');
      const ids = (await due.getRawMany<{ id: number | string }>()).map((r) => Number(r.id));
      if (!ids.length) return [];
      // The same conditions again: whatever another process did meanwhile, a row is taken once.
      await repo
        .createQueryBuilder()
        .update()
        .set({ lockedUntil: lease })
        .where('id IN (:...ids)', { ids })
        .andWhere("status = 'queued'")
        .andWhere('(locked_until IS NULL OR locked_until < :now)', { now })
        .execute();
      const rows = await repo.find({ where: { id: In(ids) }, order: { nextAttemptAt: 'ASC', id: 'ASC' } });
      return rows.filter((m) => m.lockedUntil?.getTime() === lease.getTime());
    });
  }

  private async sendOne(m: OutboxMessage, lease: Date, clock: () => Date): Promise<'sent' | 'retrying' | 'failed'> {
    let error: string | null = null;
    try {
      await this.mail.send({ to: m.toAddress, subject: m.subject, text: m.text, html: m.html });
    } catch (err) {
      error = shortError(err);
    }
    const at = clock();
    const attempts = m.attempts + 1;
    const outcome = error === null ? 'sent' : attempts >= this.maxAttempts ? 'failed' : 'retrying';
    const changes: Partial<OutboxMessage> =
      outcome === 'sent'
        ? { status: 'sent', attempts, sentAt: at, lockedUntil: null, lastError: null }
        : {
            status: outcome === 'failed' ? 'failed' : 'queued',
            attempts,
            lastError: error,
            lockedUntil: null,
            nextAttemptAt: outcome === 'failed' ? at : new Date(at.getTime() + this.backoffMs(attempts)),
          };
    const marked = await this.db.tx((em) =>
      em
        .getRepository(OutboxMessage)
        .createQueryBuilder()
        .update()
        .set(changes)
        .where('id = :id', { id: m.id })
        .andWhere("status = 'queued'")
        .andWhere('locked_until = :lease', { lease })
        .execute(),
    );
    if (marked.affected !== 1) this.logger.warn({ msg: 'outbox message no longer held by this worker', id: m.id, outcome });
    if (outcome !== 'sent') this.logger.warn({ msg: 'outbox message not sent', id: m.id, kind: m.kind, attempts, outcome, error });
    return outcome;
  }

  /** Gives back what this worker claimed but will not send now (stopping, or its lease running short). */
  private release(messages: OutboxMessage[], lease: Date): Promise<unknown> {
    return this.db.tx((em) =>
      em
        .getRepository(OutboxMessage)
        .createQueryBuilder()
        .update()
        .set({ lockedUntil: null })
        .where('id IN (:...ids)', { ids: messages.map((m) => m.id) })
        .andWhere('locked_until = :lease', { lease })
        .execute(),
    );
  }
}

/** The mail server's answer in a line, without addresses: what an administrator needs, nothing of the message. */
export function shortError(err: unknown): string {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const text = (e?.message ?? String(err))
    .split(/\r?\n/)[0]
    .replace(/[^\s<>@]+@[^\s<>@]+/g, '<address>')
    .slice(0, 200);
  return [e?.code, text].filter(Boolean).join(': ').slice(0, 240);
}
