import { Global, Module } from '@nestjs/common';
import { EventDispatchService } from './event-dispatch.service';
import { EventLogService } from './event-log.service';
import { EventsService } from './events.service';

/**
 * Domain events: any module may record one inside its transaction (EventsService); the audit log
 * reads them (EventLogService); the worker hands them to readers such as notifications (EventDispatchService).
 */
@Global()
@Module({ providers: [EventsService, EventLogService, EventDispatchService], exports: [EventsService, EventLogService, EventDispatchService] })
export class EventsModule {}
