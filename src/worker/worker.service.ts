import { Injectable, Logger } from '@nestjs/common';
import { NotificationsWorker } from '../notifications/notifications.worker';
import { OutboxWorker } from '../outbox/outbox.worker';

export interface WorkerRun {
  /** The outbox's part: messages sent, failed for now, failed for good. */
  mail: { sent: number; retrying: number; failed: number };
  /** A job stopped early with work left (a full outbox batch): run again at once. */
  more: boolean;
}

/**
 * One pass of the background work, job after job: the worker loop (`WorkerLoop`) calls it every
 * few seconds, `npm run worker` does the same in a process of its own, and tests call it directly.
 * A job's failure is logged and the next job still runs; runOnce itself never throws.
 */
@Injectable()
export class WorkerService {
  private readonly logger = new Logger('Worker');

  constructor(
    private readonly outbox: OutboxWorker,
    private readonly notifications: NotificationsWorker,
  ) {}

  async runOnce(now: Date = new Date(), shouldStop: () => boolean = () => false): Promise<WorkerRun> {
    const run: WorkerRun = { mail: { sent: 0, retrying: 0, failed: 0 }, more: false };

    // Notifications queue e-mail, so they run before the outbox drains.
    await this.job('dispatchEvents', () => this.notifications.dispatchEvents(now));
    await this.job('sendReminders', () => this.notifications.sendReminders(now));
    await this.job('sendDigests', () => this.notifications.sendDigests(now));

    await this.job('outbox', async () => {
      run.mail = await this.outbox.drain(now, shouldStop);
      run.more = run.mail.sent + run.mail.retrying + run.mail.failed >= this.outbox.maxPerDrain;
    });
    return run;
  }

  private async job(name: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.error({ msg: 'worker job failed', job: name, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
