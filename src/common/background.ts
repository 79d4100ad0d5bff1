import { Global, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { transactionContext } from '../database/transaction-serializer';

/**
 * Work handed off from a request so the answer does not wait for it (today: the password-reset
 * look-up and the queueing of its e-mail, so the answer takes as long whether or not the address
 * has an account). A job runs
 * outside the request's transaction context; a failure is logged as one JSON line and never
 * reaches the request or crashes the process. Jobs still running when the app stops are awaited
 * (up to `drainMs`) before mail and database close.
 *
 * Not durable: a job lost in a crash is lost. Anything that must survive one is written in a
 * transaction instead (e-mail: the outbox, sent by the worker).
 */
@Injectable()
export class Background implements OnModuleDestroy {
  private readonly logger = new Logger('Background');
  private readonly pending = new Set<Promise<void>>();
  drainMs = 10_000;

  run(job: string, fn: () => Promise<unknown>): void {
    const p: Promise<void> = transactionContext
      .exit(() => new Promise<void>((resolve) => setImmediate(resolve)).then(fn))
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ msg: 'background job failed', job, error: err instanceof Error ? err.message : String(err) }),
      )
      .catch(() => undefined) // even a failing logger must not leave a rejection unhandled
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves when every job started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, this.drainMs).unref())]);
  }
}

@Global()
@Module({ providers: [Background], exports: [Background] })
export class BackgroundModule {}
