import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SignedIn } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { ChangePasswordDto, ProfileDto } from './dto/auth.dto';
import { accountPage } from './account.page';

@Controller('account')
@SignedIn()
export class AccountController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Render('account/show')
  show(@Req() req: Request) {
    return accountPage(req.user!);
  }

  @Post()
  @FormView('account/show', 'show')
  async update(@Body() form: ProfileDto, @Req() req: Request, @Res() res: Response) {
    await this.users.updateProfile(req.user!.id, form); // req.user is re-read from the database on every request
    flash(req, 'success', 'Your details have been saved.');
    res.redirect(303, '/account');
  }

  @Post('password')
  @FormView('account/show', 'show')
  async changePassword(@Body() form: ChangePasswordDto, @Req() req: Request, @Res() res: Response) {
    await this.auth.changePassword(req.user!, form.currentPassword, form.newPassword, req.sessionID);
    flash(req, 'success', 'Your password has been changed. Your other sessions have been signed out.');
    res.redirect(303, '/account');
  }
}
