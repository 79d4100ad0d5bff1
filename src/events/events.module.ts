import { Global, Module } from '@nestjs/common';
import { EventDispatchService } from './event-dispatch.service';
import { EventsService } from './events.service';

/** Domain events: any module may record one inside its transaction (see EventsService); the worker hands them to readers (EventDispatchService). */
@Global()
@Module({ providers: [EventsService, EventDispatchService], exports: [EventsService, EventDispatchService] })
export class EventsModule {}
