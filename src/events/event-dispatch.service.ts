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
   * Hands up to `limit` events to `handler`; answers how many were handed over. When the handler
   * fails on the batch, nothing of it is kept and each of its events is tried alone, so one event
   * the handler cannot take holds back only itself: it stays undispatched for the next run, and
   * the failure is logged.
   */
  async dispatch(handler: EventHandler, limit = 100, now = new Date()): Promise<number> {
    let ids: number[] = [];
    try {
      return await this.claimAndHandle(handler, Math.max(1, Math.floor(limit)), now, null, (claimed) => (ids = claimed));
    } catch (err) {
      this.logFailure(ids, err);
    }
    if (ids.length < 2) return 0;
    let handed = 0;
    for (const id of ids) {
      try {
        handed += await this.claimAndHandle(handler, 1, now, id);
      } catch (err) {
        this.logFailure([id], err);
      }
    }
    return handed;
  }

  private claimAndHandle(handler: EventHandler, limit: number, now: Date, onlyId: number | null, claimed?: (ids: number[]) => void): Promise<number> {
    return this.db.tx(async (em) => {
      const qb = em.getRepository(DomainEvent).createQueryBuilder('e').where('e.dispatchedAt IS NULL').orderBy('e.id', 'ASC').limit(limit);
      if (onlyId !== null) qb.andWhere('e.id = :id', { id: onlyId });
      if (this.db.isPostgres) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await qb.getMany();
      claimed?.(rows.map((r) => r.id));
      if (!rows.length) return 0;
      await handler(em, rows.map(toDispatched));
      await em.getRepository(DomainEvent).update({ id: In(rows.map((r) => r.id)) }, { dispatchedAt: now });
      return rows.length;
    });
  }

  private logFailure(ids: number[], err: unknown): void {
    this.logger.error(
      `Handing event${ids.length === 1 ? '' : 's'} ${ids.join(', ') || '(none claimed)'} to their readers failed; they stay undispatched for the next run: ${(err as Error)?.stack ?? String(err)}`,
    );
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
