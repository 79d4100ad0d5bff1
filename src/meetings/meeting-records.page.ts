import { Injectable } from '@nestjs/common';
import { type ConflictField, editConflictView, show } from '../common/edit-conflict';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { MeetingRecordsService } from './meeting-records.service';
import { MeetingsPage } from './meetings.page';

const NOTES_FIELDS: ConflictField[] = [{ label: 'Notes', show: show.text('notes') }];

/** View models for what is recorded after a meeting: the meeting page after a conflict, the "make it a task" form. */
@Injectable()
export class MeetingRecordsPage {
  constructor(
    private readonly pages: MeetingsPage,
    private readonly records: MeetingRecordsService,
  ) {}

  /** The meeting page again after someone else saved the meeting first: the form holds what this person sent, the notice says what differs. */
  async conflict(v: CourseViewer, meetingId: number, body: unknown, form: 'attendance' | 'notes') {
    const fresh = await this.pages.show(v, meetingId);
    const sent = { ...((body ?? {}) as Record<string, unknown>) };
    if (form === 'attendance') sent.present ??= [];
    const options = [
      ...fresh.records.attendance.teams.flatMap((t) => [{ value: t.key, label: t.name }, ...t.people.map((p) => ({ value: p.key, label: p.name }))]),
      ...fresh.records.attendance.others.map((p) => ({ value: p.key, label: p.name })),
    ];
    const fields = form === 'notes' ? NOTES_FIELDS : [{ label: 'Present', show: show.choices('present', options) }];
    const view = editConflictView(fresh, sent, fields, {
      what: form === 'notes' ? 'meeting’s notes' : 'meeting’s attendance',
      savedAt: fresh.records.savedAt,
      discardHref: `/courses/${v.course.id}/meetings/${meetingId}#${form}`,
    });
    return { ...view, values: { ...fresh.values, ...view.values }, conflictForm: form };
  }

  async taskForm(m: CourseManager, meetingId: number, actionId: number) {
    const form = await this.records.taskForm(m, meetingId, actionId);
    return { ...courseHeader(m, 'meetings'), title: `Make an action item a task: ${m.course.title}`, ...form };
  }
}
