import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import type { CourseManager, CourseViewer } from '../courses/course-access.service';
import { Manager, managerOf, Viewer, viewerOf } from '../courses/course-viewer.decorator';
import { ExpertAssignDto, MemberChangeDto, StaffDto, TeamDto } from './dto/team.dto';
import { LEVEL_LABELS, POSITION_LABELS, TEAM_ROLE_LABELS, teamName } from './team.view';
import { TeamsPages } from './teams.page';
import { TeamsService } from './teams.service';

/**
 * Country teams of a course and the course's people (facilitators, experts). Adding a person to a
 * team (who may need an invitation) is the invitations module's route on the same team page.
 */
@Controller('courses/:id')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    private readonly pages: TeamsPages,
  ) {}

  @Get('teams')
  @InCourse('course.view')
  @Render('teams/index')
  index(@Viewer() v: CourseViewer) {
    return this.pages.index(v);
  }

  @Post('teams')
  @InCourse('teams.manage')
  @FormView('teams/index', 'indexContext')
  async create(@Manager() m: CourseManager, @Body() dto: TeamDto, @Req() req: Request, @Res() res: Response) {
    const team = await this.teams.create(m, dto);
    flash(req, 'success', `Team ${teamName(team)} created. Add its leader and members.`);
    res.redirect(303, `/courses/${m.course.id}/teams/${team.id}`);
  }

  @Get('teams/:teamId')
  @InCourse('course.view')
  @Render('teams/show')
  show(@Viewer() v: CourseViewer, @Param('teamId', IdPipe) teamId: number) {
    return this.pages.show(v, teamId);
  }

  @Get('teams/:teamId/edit')
  @InCourse('teams.manage')
  @Render('teams/edit')
  edit(@Manager() m: CourseManager, @Param('teamId', IdPipe) teamId: number) {
    return this.pages.edit(m, teamId);
  }

  @Post('teams/:teamId/edit')
  @InCourse('teams.manage')
  @FormView('teams/edit', 'editContext')
  async update(@Manager() m: CourseManager, @Param('teamId', IdPipe) teamId: number, @Body() dto: TeamDto, @Req() req: Request, @Res() res: Response) {
    await this.teams.update(m, teamId, dto);
    flash(req, 'success', 'Team details saved.');
    res.redirect(303, `/courses/${m.course.id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/members/:memberId')
  @InCourse('teams.manage')
  @FormView('teams/show', 'showContext')
  async changeMember(
    @Manager() m: CourseManager,
    @Param('teamId', IdPipe) teamId: number,
    @Param('memberId', IdPipe) memberId: number,
    @Body() dto: MemberChangeDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const member = await this.teams.changeMember(m, teamId, memberId, dto);
    flash(
      req,
      'success',
      `${member.name} is now ${TEAM_ROLE_LABELS[member.teamRole].toLowerCase()} (${POSITION_LABELS[member.position].toLowerCase()}, ${LEVEL_LABELS[member.level].toLowerCase()}).`,
    );
    res.redirect(303, `/courses/${m.course.id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/members/:memberId/remove')
  @InCourse('teams.manage')
  @FormView('teams/show', 'showContext')
  async removeMember(
    @Manager() m: CourseManager,
    @Param('teamId', IdPipe) teamId: number,
    @Param('memberId', IdPipe) memberId: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const member = await this.teams.removeMember(m, teamId, memberId);
    flash(req, 'success', `${member.name} has left the team. Their account is unchanged.`);
    res.redirect(303, `/courses/${m.course.id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/experts')
  @InCourse('teams.manage')
  @FormView('teams/show', 'showContext')
  async assignExpert(
    @Manager() m: CourseManager,
    @Param('teamId', IdPipe) teamId: number,
    @Body() dto: ExpertAssignDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const u = await this.teams.assignExpert(m, teamId, dto.userId);
    flash(req, 'success', `${u.name} now advises this team.`);
    res.redirect(303, `/courses/${m.course.id}/teams/${teamId}`);
  }

  @Post('teams/:teamId/experts/:assignmentId/remove')
  @InCourse('teams.manage')
  @FormView('teams/show', 'showContext')
  async unassignExpert(
    @Manager() m: CourseManager,
    @Param('teamId', IdPipe) teamId: number,
    @Param('assignmentId', IdPipe) assignmentId: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const u = await this.teams.unassignExpert(m, teamId, assignmentId);
    flash(req, 'success', `${u.name} no longer advises this team.`);
    res.redirect(303, `/courses/${m.course.id}/teams/${teamId}`);
  }

  // Course people: facilitators and experts

  @Get('people')
  @InCourse('teams.manage')
  @Render('courses/people')
  people(@Manager() m: CourseManager) {
    return this.pages.people(m);
  }

  @Post('people')
  @InCourse('teams.manage')
  @FormView('courses/people', 'peopleContext')
  async addStaff(@Manager() m: CourseManager, @Body() dto: StaffDto, @Req() req: Request, @Res() res: Response) {
    const u = await this.teams.addStaff(m, dto);
    flash(req, 'success', `${u.name} has been added to the course as ${dto.role}.`);
    res.redirect(303, `/courses/${m.course.id}/people`);
  }

  @Post('people/:memberId/remove')
  @InCourse('teams.manage')
  @FormView('courses/people', 'peopleContext')
  async removeStaff(@Manager() m: CourseManager, @Param('memberId', IdPipe) memberId: number, @Req() req: Request, @Res() res: Response) {
    const u = await this.teams.removeStaff(m, memberId);
    flash(req, 'success', `${u.name} has been removed from the course.`);
    res.redirect(303, `/courses/${m.course.id}/people`);
  }

  // Form views: the page again, with the messages

  indexContext(req: Request) {
    return this.pages.index(viewerOf(req));
  }

  showContext(req: Request) {
    return this.pages.show(viewerOf(req), parseId(req.params.teamId));
  }

  editContext(req: Request) {
    return this.pages.edit(managerOf(req), parseId(req.params.teamId));
  }

  peopleContext(req: Request) {
    return this.pages.people(managerOf(req));
  }
}
