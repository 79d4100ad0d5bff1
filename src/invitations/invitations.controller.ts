import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { IdPipe } from '../common/ids';
import type { Request, Response } from 'express';
import { Allow, Public } from '../common/access.decorator';
import { logIn } from '../auth/session-login';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { toSessionUser } from '../users/user.view';
import { AcceptInvitationDto, InvitationListQuery, InviteDto } from './dto/invitation.dto';
import { InvitationsPages } from './invitations.page';
import { InvitationsService } from './invitations.service';

@Controller()
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly pages: InvitationsPages,
  ) {}

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

  indexContext(req: Request, query: InvitationListQuery = {}) {
    return this.pages.index(req.user!, { status: query.status ?? (req.query.status as InvitationListQuery['status']), page: query.page });
  }

  acceptContext(req: Request, token = req.params.token as string) {
    return this.pages.accept(token, req.user);
  }
}
