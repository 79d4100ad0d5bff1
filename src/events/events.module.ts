import { Global, Module } from '@nestjs/common';
import { EventLogService } from './event-log.service';
import { EventsService } from './events.service';

/** Domain events: any module may record one inside its transaction (EventsService); the audit log reads them (EventLogService). */
@Global()
@Module({ providers: [EventsService, EventLogService], exports: [EventsService, EventLogService] })
export class EventsModule {}
