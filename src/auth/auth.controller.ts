import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../common/access.decorator';
import { safeNext } from '../common/app-exception.filter';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { AuthService } from './auth.service';
import { AppPassport } from './app-passport';
import { ForgotPasswordDto, NewPasswordDto, SignInDto } from './dto/auth.dto';
import { PASSWORD_MIN } from './passwords';
import { authenticateLocal, logIn, logOut } from './session-login';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passport: AppPassport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @Public()
  signInPage(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, string>) {
    if (req.user) return res.redirect(303, safeNext(query.next) ?? '/dashboard');
    res.render('auth/sign-in', this.signInContext(req));
  }

  @Post('sign-in')
  @Public()
  @FormView('auth/sign-in', 'signInContext')
  async signIn(@Body() form: SignInDto, @Req() req: Request, @Res() res: Response) {
    const user = await authenticateLocal(this.passport, req, res);
    await logIn(req, user);
    res.redirect(303, safeNext(form.next) ?? '/dashboard');
  }

  @Post('sign-out')
  @Public()
  async signOut(@Req() req: Request, @Res() res: Response) {
    await this.auth.signOut(req.user?.id, () => logOut(req, res, this.config.session.cookieName));
    res.redirect(303, '/sign-in?signed-out=1');
  }

  @Get('password/forgot')
  @Public()
  @Render('auth/forgot')
  forgotPage(@Query('sent') sent?: string) {
    return { title: 'Reset your password', sent: sent === '1' };
  }

  @Post('password/forgot')
  @Public()
  @FormView('auth/forgot', 'forgotContext')
  async forgot(@Body() form: ForgotPasswordDto, @Req() req: Request, @Res() res: Response) {
    // The look-up and writes start once this answer has gone out, so they cannot delay it (nor show in its timing).
    const answered = new Promise<void>((resolve) => res.once('close', () => resolve()));
    await this.auth.requestReset(form.email, req.ip ?? 'unknown', answered);
    res.redirect(303, '/password/forgot?sent=1');
  }

  @Get('password/reset/:token')
  @Public()
  @Render('auth/reset')
  async resetPage(@Param('token') token: string) {
    const reset = await this.auth.usableReset(token);
    return { title: 'Choose a new password', token, email: reset.user.email, passwordMin: PASSWORD_MIN };
  }

  @Post('password/reset/:token')
  @Public()
  @HttpCode(303)
  @FormView('auth/reset', 'resetContext')
  async reset(@Param('token') token: string, @Body() form: NewPasswordDto, @Req() req: Request, @Res() res: Response) {
    await this.auth.resetPassword(token, form.password);
    flash(req, 'success', 'Your password has been changed. Sign in with your new password.');
    res.redirect(303, '/sign-in');
  }

  signInContext(req: Request) {
    const q = req.query as Record<string, string | undefined>;
    return {
      title: 'Sign in',
      layout: 'layouts/bare',
      values: { next: safeNext(q.next) ?? '' },
      signedOut: q['signed-out'] === '1',
      expired: q.expired === '1',
    };
  }

  forgotContext() {
    return { title: 'Reset your password' };
  }

  async resetContext(req: Request) {
    return this.resetPage(req.params.token as string);
  }
}
