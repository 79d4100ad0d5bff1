import { Global, Module } from '@nestjs/common';
import { OutboxAdminService } from './outbox-admin.service';
import { OutboxController } from './outbox.controller';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

/**
 * The e-mail outbox: any module may queue an e-mail inside its transaction (OutboxService), the
 * worker sends the queue (OutboxWorker), and administrators see it at /admin/outbox.
 */
@Global()
@Module({ controllers: [OutboxController], providers: [OutboxService, OutboxWorker, OutboxAdminService], exports: [OutboxService, OutboxWorker] })
export class OutboxModule {}
