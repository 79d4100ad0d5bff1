import { Controller, Get, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public, SignedIn } from '../common/access.decorator';
import { DashboardPage } from './dashboard.page';

@Controller()
export class HomeController {
  constructor(private readonly dashboardPage: DashboardPage) {}

  @Get()
  @Public()
  root(@Req() req: Request, @Res() res: Response) {
    res.redirect(303, req.user ? '/dashboard' : '/sign-in');
  }

  @Get('dashboard')
  @SignedIn()
  @Render('home/dashboard')
  dashboard(@Req() req: Request) {
    return this.dashboardPage.build(req.user!);
  }
}
