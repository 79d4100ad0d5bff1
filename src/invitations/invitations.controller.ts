import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { IdPipe } from '../common/ids';
import type { Request, Response } from 'express';
import { Allow, Public } from '../common/access.decorator';
import { PASSWORD_MIN } from '../auth/passwords';
import { logIn } from '../auth/session-login';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { pageLinks } from '../common/pagination';
import { GRANTABLE_ROLES } from '../common/permissions';
import { timeZonePicker } from '../common/time';
import { formatDateRange } from '../common/zoned-time';
import { TEAM_ROLE_LABELS, teamName } from '../teams/team.view';
import { ROLE_LABELS, LANGUAGES, toSessionUser } from '../users/user.view';
import { AcceptInvitationDto, InvitationListQuery, InviteDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

const STATUS_FILTERS = [
  { value: '', label: 'Open (pending and expired)' },
  { value: 'pending', label: 'Pending' },
  { value: 'expired', label: 'Expired' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'revoked', label: 'Withdrawn' },
];

@Controller()
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get('invitations')
  @Allow('invitations.manage')
  @Render('invitations/index')
  async index(@Req() req: Request, @Query() query: InvitationListQuery) {
    return this.indexContext(req, query);
  }

  @Post('invitations')
  @Allow('invitations.manage')
  @FormView('invitations/index', 'indexContext')
  async invite(@Body() form: InviteDto, @Req() req: Request, @Res() res: Response) {
    const inv = await this.invitations.invite(req.user!, form);
    flash(req, 'success', `Invitation sent to ${inv.email}.`);
    res.redirect(303, '/invitations');
  }

  @Post('invitations/:id/resend')
  @Allow('invitations.manage')
  @FormView('invitations/index', 'indexContext')
  async resend(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const inv = await this.invitations.resend(req.user!, id);
    flash(req, 'success', `Invitation sent again to ${inv.email}. The earlier link no longer works.`);
    res.redirect(303, '/invitations');
  }

  @Post('invitations/:id/revoke')
  @Allow('invitations.manage')
  @FormView('invitations/index', 'indexContext')
  async revoke(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const inv = await this.invitations.revoke(req.user!, id);
    flash(req, 'success', `Invitation to ${inv.email} withdrawn. Its link no longer works.`);
    res.redirect(303, '/invitations');
  }

  @Get('invite/:token')
  @Public()
  @Render('invitations/accept')
  async acceptPage(@Param('token') token: string, @Req() req: Request) {
    return this.acceptContext(req, token);
  }

  @Post('invite/:token')
  @Public()
  @FormView('invitations/accept', 'acceptContext')
  async accept(@Param('token') token: string, @Body() form: AcceptInvitationDto, @Req() req: Request, @Res() res: Response) {
    const user = await this.invitations.accept(token, form);
    await logIn(req, toSessionUser(user));
    flash(req, 'success', `Welcome to Atelier, ${user.name}. Your account is ready.`);
    res.redirect(303, '/dashboard');
  }

  async indexContext(req: Request, query: InvitationListQuery = {}) {
    const q = { status: query.status ?? (req.query.status as InvitationListQuery['status']), page: query.page };
    const list = await this.invitations.list(req.user!, q);
    const grantable = GRANTABLE_ROLES[req.user!.role].map((r) => ({ value: r, label: ROLE_LABELS[r] }));
    return {
      title: 'Invitations',
      nav: 'invitations',
      grantable,
      values: { role: 'participant' },
      statusFilters: STATUS_FILTERS.map((s) => ({ ...s, selected: (q.status ?? '') === s.value })),
      invitations: list.rows,
      total: list.total,
      pagination: pageLinks('/invitations', { status: q.status }, list.page, list.pages),
    };
  }

  async acceptContext(req: Request, token = req.params.token as string) {
    const inv = await this.invitations.usable(token);
    const team = inv.team;
    return {
      title: 'Accept your invitation',
      layout: 'layouts/bare',
      token,
      email: inv.email,
      roleLabel: ROLE_LABELS[inv.role],
      // Invited into a team: which workshop, which team, which role in it, and when it runs.
      joining: team
        ? {
            team: teamName(team),
            teamRole: TEAM_ROLE_LABELS[inv.teamRole ?? 'member'].toLowerCase(),
            isLeader: inv.teamRole === 'leader',
            course: team.course.title,
            dates: formatDateRange(team.course.startsOn, team.course.endsOn),
            published: team.course.status === 'published',
          }
        : null,
      inviter: inv.invitedBy?.name ?? null,
      message: inv.message,
      passwordMin: PASSWORD_MIN,
      signedInAs: req.user && req.user.email !== inv.email ? req.user.email : null,
      values: { language: 'en', timeZone: '' },
      timeZones: timeZonePicker(team ? [team.timeZone, team.course.timeZone] : []),
      languages: LANGUAGES,
    };
  }
}
