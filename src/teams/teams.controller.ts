import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { IdPipe, parseId } from '../common/ids';
import type { Request, Response } from 'express';
import { SignedIn } from '../common/access.decorator';
import { COUNTRIES, REGIONS } from '../common/countries';
import { NotFoundError } from '../common/errors';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { timeZonePicker } from '../common/time';
import { CourseAccessService } from '../courses/course-access.service';
import { courseHeader } from '../courses/course.view';
import { ExpertAssignDto, MemberChangeDto, MemberDto, StaffDto, TeamDto } from './dto/team.dto';
import { DELIVERABLES } from './team.entity';
import { LEVELS, POSITIONS, TEAM_ROLES } from './team-member.entity';
import { LEVEL_LABELS, POSITION_LABELS, TEAM_ROLE_LABELS, teamName, toTeamView } from './team.view';
import { TeamsService } from './teams.service';

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));
const ROLE_OPTIONS = TEAM_ROLES.map((r) => ({ value: r, label: TEAM_ROLE_LABELS[r] }));
const POSITION_OPTIONS = POSITIONS.map((r) => ({ value: r, label: POSITION_LABELS[r] }));
const LEVEL_OPTIONS = LEVELS.map((r) => ({ value: r, label: LEVEL_LABELS[r] }));

@Controller('courses/:id')
@SignedIn()
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    private readonly access: CourseAccessService,
  ) {}

  @Get('teams')
  @Render('teams/index')
  async index(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.indexContext(req, id);
  }

  @Post('teams')
  @FormView('teams/index', 'indexContext')
  async create(@Param('id', IdPipe) id: number, @Body() dto: TeamDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const team = await this.teams.create(v, dto);
    flash(req, 'success', `Team ${teamName(team)} created. Add its leader and members.`);
    res.redirect(303, `/courses/${id}/teams/${team.id}`);
  }

  @Get('teams/:teamId')
  @Render('teams/show')
  async show(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Req() req: Request) {
    return this.showContext(req, id, teamId);
  }

  @Get('teams/:teamId/edit')
  @Render('teams/edit')
  async edit(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Req() req: Request) {
    return this.editContext(req, id, teamId);
  }

  @Post('teams/:teamId/edit')
  @FormView('teams/edit', 'editContext')
  async update(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Body() dto: TeamDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    await this.teams.update(v, teamId, dto);
    flash(req, 'success', 'Team details saved.');
    res.redirect(303, `/courses/${id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/members')
  @FormView('teams/show', 'showContext')
  async addMember(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Body() dto: MemberDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const r = await this.teams.addMember(v, teamId, dto);
    flash(req, 'success', r.joined ? `${r.name} has joined the team.` : `${r.email} has no account yet: an invitation has been sent. They join the team when they accept it.`);
    res.redirect(303, `/courses/${id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/members/:memberId')
  @FormView('teams/show', 'showContext')
  async changeMember(
    @Param('id', IdPipe) id: number,
    @Param('teamId', IdPipe) teamId: number,
    @Param('memberId', IdPipe) memberId: number,
    @Body() dto: MemberChangeDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const v = await this.access.manager(req.user!, id);
    const m = await this.teams.changeMember(v, teamId, memberId, dto);
    flash(req, 'success', `${m.user.name} is now ${TEAM_ROLE_LABELS[m.teamRole].toLowerCase()} (${POSITION_LABELS[m.position].toLowerCase()}, ${LEVEL_LABELS[m.level].toLowerCase()}).`);
    res.redirect(303, `/courses/${id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/members/:memberId/remove')
  @FormView('teams/show', 'showContext')
  async removeMember(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Param('memberId', IdPipe) memberId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const m = await this.teams.removeMember(v, teamId, memberId);
    flash(req, 'success', `${m.user.name} has left the team. Their account is unchanged.`);
    res.redirect(303, `/courses/${id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/experts')
  @FormView('teams/show', 'showContext')
  async assignExpert(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Body() dto: ExpertAssignDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const u = await this.teams.assignExpert(v, teamId, dto.userId);
    flash(req, 'success', `${u.name} now advises this team.`);
    res.redirect(303, `/courses/${id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/experts/:assignmentId/remove')
  @FormView('teams/show', 'showContext')
  async unassignExpert(@Param('id', IdPipe) id: number, @Param('teamId', IdPipe) teamId: number, @Param('assignmentId', IdPipe) assignmentId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const u = await this.teams.unassignExpert(v, teamId, assignmentId);
    flash(req, 'success', `${u.name} no longer advises this team.`);
    res.redirect(303, `/courses/${id}/teams/${teamId}`);
  }

  // Course people: facilitators and experts

  @Get('people')
  @Render('courses/people')
  async people(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.peopleContext(req, id);
  }

  @Post('people')
  @FormView('courses/people', 'peopleContext')
  async addStaff(@Param('id', IdPipe) id: number, @Body() dto: StaffDto, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const u = await this.teams.addStaff(v, dto);
    flash(req, 'success', `${u.name} has been added to the course as ${dto.role}.`);
    res.redirect(303, `/courses/${id}/people`);
  }

  @Post('people/:memberId/remove')
  @FormView('courses/people', 'peopleContext')
  async removeStaff(@Param('id', IdPipe) id: number, @Param('memberId', IdPipe) memberId: number, @Req() req: Request, @Res() res: Response) {
    const v = await this.access.manager(req.user!, id);
    const u = await this.teams.removeStaff(v, memberId);
    flash(req, 'success', `${u.name} has been removed from the course.`);
    res.redirect(303, `/courses/${id}/people`);
  }

  // Contexts

  async indexContext(req: Request, id = parseId(req.params.id)) {
    const v = await this.access.viewer(req.user!, id);
    const teams = await this.teams.list(id);
    return {
      ...courseHeader(v, 'teams'),
      title: `Teams: ${v.course.title}`,
      teams: teams.map((t) => ({ ...t, canOpen: this.access.canSeeTeam(v, t.id), isMine: v.memberTeamIds.includes(t.id) })),
      countries: COUNTRY_OPTIONS,
      regions: REGIONS,
      deliverables: DELIVERABLES,
      timeZones: timeZonePicker([v.course.timeZone, ...teams.map((t) => t.timeZone), req.user!.timeZone]),
      values: { deliverable: 'policy', region: 'asia-pacific' },
    };
  }

  async showContext(req: Request, id = parseId(req.params.id), teamId = parseId(req.params.teamId)) {
    const v = await this.access.viewer(req.user!, id);
    if (!this.access.canSeeTeam(v, teamId)) throw new NotFoundError();
    const team = await this.teams.team(v, teamId);
    const page = await this.teams.page(v, team);
    return {
      ...courseHeader(v, 'teams'),
      title: `${page.team.name}: ${v.course.title}`,
      ...page,
      experts: page.experts,
      expertOptions: v.canManage ? await this.teams.courseExperts(id) : [],
      roles: ROLE_OPTIONS,
      positions: POSITION_OPTIONS,
      levels: LEVEL_OPTIONS,
      values: { teamRole: page.members.some((m) => m.teamRole === 'leader') ? 'member' : 'leader', position: 'policymaker', level: 'national' },
    };
  }

  async editContext(req: Request, id = parseId(req.params.id), teamId = parseId(req.params.teamId)) {
    const v = await this.access.manager(req.user!, id);
    const team = await this.teams.team(v, teamId);
    return {
      ...courseHeader(v, 'teams'),
      title: `Edit team: ${teamName(team)}`,
      team: toTeamView(team),
      countries: COUNTRY_OPTIONS,
      regions: REGIONS,
      deliverables: DELIVERABLES,
      timeZones: timeZonePicker([team.timeZone, v.course.timeZone, req.user!.timeZone]),
      values: { country: team.country, city: team.city, region: team.region, deliverable: team.deliverable, timeZone: team.timeZone },
    };
  }

  async peopleContext(req: Request, id = parseId(req.params.id)) {
    const v = await this.access.manager(req.user!, id);
    const staff = await this.teams.staff(id);
    return {
      ...courseHeader(v, 'people'),
      title: `People: ${v.course.title}`,
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
