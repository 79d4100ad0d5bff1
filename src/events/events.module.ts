import { Global, Module } from '@nestjs/common';
import { EventsService } from './events.service';

/** Domain events: any module may record one inside its transaction (see EventsService). */
@Global()
@Module({ providers: [EventsService], exports: [EventsService] })
export class EventsModule {}
