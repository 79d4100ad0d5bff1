import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { OutboxModule } from '../outbox/outbox.module';
import { WorkerLoop } from './worker.loop';
import { WorkerService } from './worker.service';

/** The background worker: one pass over every job (WorkerService.runOnce) and the loop that repeats it. */
@Module({ imports: [OutboxModule, NotificationsModule], providers: [WorkerService, WorkerLoop], exports: [WorkerService, WorkerLoop] })
export class WorkerModule {}
