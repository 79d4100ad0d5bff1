import { Injectable } from '@nestjs/common';
import { editConflictView, show } from '../common/edit-conflict';
import { formatInstant } from '../common/time';
import { toText } from '../common/to-text';
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
    const [records, change] = await Promise.all([this.records.section(v, meetingId), this.meetings.changeSection(v, meetingId)]);
    return {
      ...courseHeader(v, 'meetings'),
      title: `${meeting.title}: ${v.course.title}`,
      meeting,
      records,
      change,
      // One page, several forms: each reads its own fields (the meeting's version is the same in both).
      values: { ...records.values, ...change.values },
    };
  }

  /** The meeting page again after a refused reschedule or cancellation (404 for anyone who may not change it). */
  async changeForm(v: CourseViewer, meetingId: number) {
    await this.meetings.changeSectionFor(v, meetingId);
    return this.show(v, meetingId);
  }

  /** The meeting page after someone else changed the meeting since this form was opened: what was typed, and what differs. */
  async conflict(v: CourseViewer, meetingId: number, body: unknown) {
    const fresh = await this.changeForm(v, meetingId);
    const saved = { ...fresh.values, slot: fresh.change.consultation ? fresh.change.startsAt : '', reason: fresh.change.reason ?? '', cancelReason: '' };
    const zone = v.user.timeZone;
    const when = (values: Record<string, unknown>) => {
      const slot = toText(values.slot);
      if (slot && !Number.isNaN(new Date(slot).getTime())) return formatInstant(slot, zone);
      return values.day || values.time ? `${toText(values.day)} ${toText(values.time)} (${zone})`.trim() : '';
    };
    return editConflictView(
      { ...fresh, values: saved },
      body,
      [
        { label: 'When', show: when },
        { label: 'Reason', show: show.joined('reason', 'cancelReason') },
      ],
      {
        what: 'meeting',
        savedAt: fresh.change.savedAt,
        discardHref: fresh.meeting.href,
      },
    );
  }
}
