import { Injectable, Logger } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { DomainEvent } from './domain-event.entity';
import type { EventKind, EventPayloads } from './event-kinds';

/** An event as its readers see it: a plain object with the payload parsed, never the entity. */
export type DispatchedEvent = {
  [K in EventKind]: {
    id: number;
    kind: K;
    actorId: number | null;
    courseId: number | null;
    subject: { type: string; id: number | null };
    payload: EventPayloads[K];
    occurredAt: Date;
  };
}[EventKind];

/** What a reader does with a batch of events, inside the transaction that marks them handed over. */
export type EventHandler = (em: EntityManager, events: DispatchedEvent[]) => Promise<void>;

/**
 * Hands domain events to their readers exactly once. `dispatch` claims the oldest events not yet
 * handed over, calls the handler with them and marks them, all in ONE `Database.tx()`: the
 * handler's writes (notifications, queued e-mail) commit together with the mark, or neither does.
 * On PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`, so workers running at once take disjoint
 * batches; on SQLite transactions are serialised, which gives the same guarantee.
 */
@Injectable()
export class EventDispatchService {
  private readonly logger = new Logger('EventDispatch');

  constructor(private readonly db: Database) {}

  /**
   * Hands up to `limit` events to `handler`. Answers how many were handed over: 0 when there were
   * none, or when the handler failed (then nothing of the batch is kept, the events stay
   * undispatched for the next run, and the failure is logged).
   */
  async dispatch(handler: EventHandler, limit = 100, now = new Date()): Promise<number> {
    try {
      return await this.db.tx(async (em) => {
        const qb = em
          .getRepository(DomainEvent)
          .createQueryBuilder('e')
          .where('e.dispatchedAt IS NULL')
          .orderBy('e.id', 'ASC')
          .limit(Math.max(1, Math.floor(limit)));
        if (this.db.isPostgres) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
        const rows = await qb.getMany();
        if (!rows.length) return 0;
        await handler(em, rows.map(toDispatched));
        await em.getRepository(DomainEvent).update({ id: In(rows.map((r) => r.id)) }, { dispatchedAt: now });
        return rows.length;
      });
    } catch (err) {
      this.logger.error(`Handing events to their readers failed; they stay undispatched for the next run: ${(err as Error)?.stack ?? String(err)}`);
      return 0;
    }
  }
}

function toDispatched(e: DomainEvent): DispatchedEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(e.payload);
  } catch {
    payload = {};
  }
  return {
    id: e.id,
    kind: e.kind,
    actorId: e.actorId,
    courseId: e.courseId,
    subject: { type: e.subjectType, id: e.subjectId },
    payload,
    occurredAt: e.occurredAt,
  } as DispatchedEvent;
}
