import { Injectable } from '@nestjs/common';
import type { CourseManager } from '../courses/course-access.service';
import { courseHeader, timeline } from '../courses/course.view';
import { COURSE_TRANSITIONS, CoursesService } from '../courses/courses.service';
import { ProgrammeService } from '../courses/programme.service';
import { ResourcesService } from '../resources/resources.service';
import { TeamsService } from '../teams/teams.service';

/** The facilitator's set-up page: phases, programme, teams, experts and resources, with a checklist. */
@Injectable()
export class CourseSetupPage {
  constructor(
    private readonly courses: CoursesService,
    private readonly programme: ProgrammeService,
    private readonly teams: TeamsService,
    private readonly resources: ResourcesService,
  ) {}

  async build(m: CourseManager) {
    const id = m.course.id;
    const [phases, prog, teams, staff, res] = await Promise.all([
      this.courses.phases(id),
      this.programme.timetable(id, m.course.timeZone),
      this.teams.list(id),
      this.teams.staff(id),
      this.resources.list(id, { page: 1 }),
    ]);
    const next = COURSE_TRANSITIONS[m.course.status].map((s) => ({
      value: s,
      label: s === 'published' ? 'Publish' : s === 'archived' ? 'Archive' : 'Back to draft',
    }));
    const checklist = [
      { done: phases.length > 0, text: 'Phases: online before, the in-person week, online after' },
      { done: prog.sessions.length > 0, text: 'The programme of the in-person week' },
      { done: teams.length > 0, text: 'Country teams' },
      { done: teams.some((t) => t.memberCount > 0), text: 'Team members (team leaders first)' },
      { done: staff.some((s) => s.role === 'expert'), text: 'Experts, assigned to teams' },
      { done: res.total > 0, text: 'Resources from the handbook and publications' },
    ];
    return {
      ...courseHeader(m, 'setup'),
      title: `Set-up: ${m.course.title}`,
      timeline: timeline(m.course, phases),
      sessionCount: prog.sessions.length,
      inPersonPhases: prog.phases.map((p) => ({ id: p.id, title: p.title })),
      teams,
      staff,
      resourceCount: res.total,
      checklist,
      transitions: next,
    };
  }
}
