import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transactionContext } from '../database/transaction-serializer';
import { DomainEvent } from './domain-event.entity';
import type { NewEvent } from './event-kinds';

/** record() was given an entity manager that is not the open Database.tx() transaction's. */
export class EventOutsideTransactionError extends Error {
  constructor() {
    super('A domain event must be recorded inside Database.tx(), with its entity manager.');
  }
}

/**
 * Publishes domain events. A module calls `record(em, event)` inside the `db.tx()` that makes the
 * change, with that transaction's `em`: the event is committed with the change or not at all. It
 * never sends mail or reacts itself; readers (audit log, notifications, outbox) come later.
 */
@Injectable()
export class EventsService {
  async record(em: EntityManager, event: NewEvent): Promise<DomainEvent> {
    assertInTransaction(em);
    const repo = em.getRepository(DomainEvent);
    return repo.save(
      repo.create({
        kind: event.kind,
        actorId: event.actorId,
        courseId: event.courseId ?? null,
        subjectType: event.subject.type,
        subjectId: event.subject.id,
        payload: JSON.stringify(event.payload),
        occurredAt: event.occurredAt ?? new Date(),
      }),
    );
  }
}

/** `em` must be the entity manager of the Database.tx() transaction open in this async context. */
function assertInTransaction(em: EntityManager): void {
  if (!em.queryRunner?.isTransactionActive || transactionContext.getStore() !== em) throw new EventOutsideTransactionError();
}
