import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transactionContext } from '../database/transaction-serializer';
import { OutboxMessage } from './outbox-message.entity';

export interface NewMail {
  kind: 'invitation' | 'password_reset' | 'notification' | 'digest';
  to: string;
  userId?: number | null;
  courseId?: number | null;
  subject: string;
  text: string;
  html?: string | null;
  /** Send no earlier than this (default: now). */
  notBefore?: Date;
}

/** enqueue() was given an entity manager that is not the open Database.tx() transaction's. */
export class MailOutsideTransactionError extends Error {
  constructor() {
    super('An e-mail must be queued inside Database.tx(), with its entity manager.');
  }
}

/**
 * The e-mail outbox. Every e-mail is a row written in the transaction that causes it (so it exists
 * exactly when its change does), sent afterwards by the worker.
 */
@Injectable()
export class OutboxService {
  async enqueue(em: EntityManager, mail: NewMail): Promise<OutboxMessage> {
    if (!em.queryRunner?.isTransactionActive || transactionContext.getStore() !== em) throw new MailOutsideTransactionError();
    const repo = em.getRepository(OutboxMessage);
    const now = new Date();
    return repo.save(
      repo.create({
        kind: mail.kind,
        userId: mail.userId ?? null,
        courseId: mail.courseId ?? null,
        toAddress: mail.to,
        subject: mail.subject.slice(0, 300),
        text: mail.text,
        html: mail.html ?? null,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: mail.notBefore ?? now,
        lockedUntil: null,
        lastError: null,
        createdAt: now,
        sentAt: null,
      }),
    );
  }
}
