import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { WorkerService } from './worker.service';

/**
 * Runs the worker every WORKER_INTERVAL_SECONDS while the app runs (WORKER=inline, the default; a
 * worker-only process from `npm run worker` likewise). The next run is scheduled only when the
 * previous one has finished, so runs never overlap; when a run leaves work behind the next one
 * starts at once. On shutdown the loop stops scheduling, asks the running pass to stop after the
 * message in hand, and waits for it before mail and database close.
 */
@Injectable()
export class WorkerLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Worker');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly worker: WorkerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.worker.mode === 'inline') this.start();
  }

  get active(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.logger.log({ msg: 'worker loop started', everySeconds: this.config.worker.intervalSeconds });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, ms);
  }

  private async tick(): Promise<void> {
    let more = false;
    try {
      more = (await this.worker.runOnce(new Date(), () => this.stopped)).more;
    } catch (err) {
      // runOnce logs its jobs' failures; this is a last resort so the loop never dies.
      this.logger.error({ msg: 'worker run failed', error: err instanceof Error ? err.message : String(err) });
    }
    this.schedule(more ? 0 : this.config.worker.intervalSeconds * 1000);
  }
}
