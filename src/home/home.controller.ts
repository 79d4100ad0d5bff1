import { Controller, Get, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public, SignedIn } from '../common/access.decorator';
import { can } from '../common/permissions';
import { ROLE_LABELS } from '../users/user.view';

@Controller()
export class HomeController {
  @Get()
  @Public()
  root(@Req() req: Request, @Res() res: Response) {
    res.redirect(303, req.user ? '/dashboard' : '/sign-in');
  }

  @Get('dashboard')
  @SignedIn()
  @Render('home/dashboard')
  dashboard(@Req() req: Request) {
    const me = req.user!;
    return {
      title: 'Home',
      nav: 'home',
      roleLabel: ROLE_LABELS[me.role],
      canManageUsers: can(me.role, 'users.manage'),
      canInvite: can(me.role, 'invitations.manage'),
    };
  }
}
