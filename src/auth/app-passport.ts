import { Injectable } from '@nestjs/common';
import { Passport } from 'passport';
import { Strategy } from 'passport-local';
import type { SessionUser } from '../users/user.view';
import { AuthService } from './auth.service';

/**
 * This app's own passport instance (not passport's process-wide singleton, so that two apps in
 * one process — as in the tests — never share strategies or serializers), with passport-local
 * for the sign-in form and the session (de)serializers.
 */
@Injectable()
export class AppPassport extends Passport {
  constructor(auth: AuthService) {
    super();
    this.use(
      'local',
      new Strategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
        auth.verifyCredentials(email, password, req.ip ?? 'unknown').then((user) => done(null, user), done);
      }),
    );
    this.serializeUser((user: Express.User, done) => done(null, user.id));
    this.deserializeUser((id: number, done) => {
      auth.sessionUser(id).then((u: SessionUser | null) => done(null, u ?? false), done);
    });
  }
}
