import { Injectable } from '@nestjs/common';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { AGENDA_MAX } from './dto/booking.dto';
import { DURATION_MAX, DURATION_MIN } from './dto/schedule.dto';
import { MeetingScheduleService } from './schedule.service';

/** View models of the pages facilitators schedule meetings with. */
@Injectable()
export class SchedulePage {
  constructor(private readonly schedule: MeetingScheduleService) {}

  async form(v: CourseViewer, prefill: Record<string, unknown> = {}) {
    const form = await this.schedule.form(v, prefill);
    return {
      ...courseHeader(v, 'meetings'),
      title: `Schedule a meeting: ${v.course.title}`,
      agendaMax: AGENDA_MAX,
      durationHint: `${DURATION_MIN} to ${DURATION_MAX}`,
      findHref: `/courses/${v.course.id}/meetings/find`,
      ...form,
    };
  }

  async finder(v: CourseViewer, query: Record<string, unknown>) {
    return { ...courseHeader(v, 'meetings'), title: `Find a time for a meeting: ${v.course.title}`, ...(await this.schedule.finder(v, query)) };
  }
}
