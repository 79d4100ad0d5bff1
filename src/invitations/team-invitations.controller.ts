import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InCourse } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import type { CourseManager } from '../courses/course-access.service';
import { Manager, viewerOf } from '../courses/course-viewer.decorator';
import { TeamsPages } from '../teams/teams.page';
import { MemberDto } from './dto/team-invite.dto';
import { InvitationsService } from './invitations.service';

/** "Add a person" on a team's page: an account joins the team at once, anyone else is invited into it. */
@Controller('courses/:id')
export class TeamInvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly teamPages: TeamsPages,
  ) {}

  @Post('teams/:teamId/members')
  @InCourse('teams.manage')
  @FormView('teams/show', 'showContext')
  async addMember(@Manager() m: CourseManager, @Param('teamId', IdPipe) teamId: number, @Body() dto: MemberDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.invitations.addToTeam(m, teamId, dto);
    flash(
      req,
      'success',
      r.joined ? `${r.name} has joined the team.` : `${r.email} has no account yet: an invitation has been sent. They join the team when they accept it.`,
    );
    res.redirect(303, `/courses/${m.course.id}/teams/${teamId}`);
  }

  showContext(req: Request) {
    return this.teamPages.show(viewerOf(req), parseId(req.params.teamId));
  }
}
