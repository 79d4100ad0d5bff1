import { Global, Module } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** The e-mail outbox: any module may queue an e-mail inside its transaction (see OutboxService). */
@Global()
@Module({ providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}
