import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import type { SessionUser } from '../users/user.view';
import { AuthService } from './auth.service';

/** passport-local: e-mail and password from the sign-in form. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: Request, email: string, password: string): Promise<SessionUser> {
    return this.auth.verifyCredentials(email, password, req.ip ?? 'unknown');
  }
}
