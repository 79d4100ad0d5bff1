import { Injectable } from '@nestjs/common';
import type { CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { AGENDA_MAX } from './dto/booking.dto';
import { MeetingRecordsService } from './meeting-records.service';
import { MeetingsService } from './meetings.service';

/** View models of the meetings pages. */
@Injectable()
export class MeetingsPage {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly records: MeetingRecordsService,
  ) {}

  async list(v: CourseViewer) {
    const list = await this.meetings.list(v);
    const heading = v.canManage ? 'Meetings' : v.isExpert && !v.memberTeamIds.length ? 'My meetings' : 'Our meetings';
    return { ...courseHeader(v, 'meetings'), title: `${heading}: ${v.course.title}`, heading, zone: v.user.timeZone, ...list };
  }

  async book(v: CourseViewer, expertId?: number) {
    const page = await this.meetings.bookPage(v, expertId);
    return { ...courseHeader(v, 'meetings'), title: `Book a meeting: ${v.course.title}`, agendaMax: AGENDA_MAX, ...page };
  }

  async show(v: CourseViewer, meetingId: number) {
    const meeting = await this.meetings.page(v, meetingId);
    const records = await this.records.section(v, meetingId);
    return { ...courseHeader(v, 'meetings'), title: `${meeting.title}: ${v.course.title}`, meeting, records, values: records.values };
  }
}
