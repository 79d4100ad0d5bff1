import { Injectable } from '@nestjs/common';
import { COUNTRIES, REGIONS } from '../common/countries';
import { timeZonePicker } from '../common/time';
import { type CourseManager, type CourseViewer, viewerSeesTeam } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { DELIVERABLES } from './team.entity';
import { LEVELS, POSITIONS, TEAM_ROLES } from './team-member.entity';
import { LEVEL_LABELS, POSITION_LABELS, TEAM_ROLE_LABELS, teamName, toTeamView } from './team.view';
import { TeamsService } from './teams.service';

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));
const ROLE_OPTIONS = TEAM_ROLES.map((r) => ({ value: r, label: TEAM_ROLE_LABELS[r] }));
const POSITION_OPTIONS = POSITIONS.map((r) => ({ value: r, label: POSITION_LABELS[r] }));
const LEVEL_OPTIONS = LEVELS.map((r) => ({ value: r, label: LEVEL_LABELS[r] }));

/** The teams pages of a course (list, team page, edit form, the course's people), assembled for their templates. */
@Injectable()
export class TeamsPages {
  constructor(private readonly teams: TeamsService) {}

  async index(v: CourseViewer) {
    const teams = await this.teams.list(v.course.id);
    return {
      ...courseHeader(v, 'teams'),
      title: `Teams: ${v.course.title}`,
      teams: teams.map((t) => ({ ...t, canOpen: viewerSeesTeam(v, t.id), isMine: v.memberTeamIds.includes(t.id) })),
      countries: COUNTRY_OPTIONS,
      regions: REGIONS,
      deliverables: DELIVERABLES,
      timeZones: timeZonePicker([v.course.timeZone, ...teams.map((t) => t.timeZone), v.user.timeZone]),
      values: { deliverable: 'policy', region: 'asia-pacific' },
    };
  }

  /** The team page, for those who may see the team (404 for others). */
  async show(v: CourseViewer, teamId: number) {
    const team = await this.teams.team(v, teamId);
    const page = await this.teams.page(v, team);
    return {
      ...courseHeader(v, 'teams'),
      title: `${page.team.name}: ${v.course.title}`,
      ...page,
      experts: page.experts,
      expertOptions: v.canManage ? await this.teams.courseExperts(v.course.id) : [],
      roles: ROLE_OPTIONS,
      positions: POSITION_OPTIONS,
      levels: LEVEL_OPTIONS,
      values: { teamRole: page.members.some((m) => m.teamRole === 'leader') ? 'member' : 'leader', position: 'policymaker', level: 'national' },
    };
  }

  async edit(m: CourseManager, teamId: number) {
    const team = await this.teams.team(m, teamId);
    return {
      ...courseHeader(m, 'teams'),
      title: `Edit team: ${teamName(team)}`,
      team: toTeamView(team),
      countries: COUNTRY_OPTIONS,
      regions: REGIONS,
      deliverables: DELIVERABLES,
      timeZones: timeZonePicker([team.timeZone, m.course.timeZone, m.user.timeZone]),
      values: { country: team.country, city: team.city, region: team.region, deliverable: team.deliverable, timeZone: team.timeZone },
    };
  }

  async people(m: CourseManager) {
    const staff = await this.teams.staff(m.course.id);
    return {
      ...courseHeader(m, 'people'),
      title: `People: ${m.course.title}`,
      facilitators: staff.filter((s) => s.role === 'facilitator'),
      experts: staff.filter((s) => s.role === 'expert'),
      roles: [
        { value: 'expert', label: 'Expert' },
        { value: 'facilitator', label: 'Facilitator' },
      ],
      values: { role: 'expert' },
    };
  }
}
