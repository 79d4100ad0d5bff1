import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SignInRequiredError } from './errors';
import { ACCESS_KEY, type AccessRule } from './access.decorator';
import { can } from './permissions';

/**
 * The one guard every route passes. A route must declare who may call it (@Public, @SignedIn,
 * @Allow); a route without a declaration is refused for everyone (deny by default).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule: refused`);
      throw new ForbiddenException();
    }
    if (rule.kind === 'public') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.user) throw new SignInRequiredError();
    if (rule.kind === 'signed-in') return true;
    if (can(req.user.role, rule.permission)) return true;
    throw new ForbiddenException();
  }
}
