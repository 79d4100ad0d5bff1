import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { NotFoundError, SignInRequiredError } from './errors';
import { ACCESS_KEY, type AccessRule } from './access.decorator';
import { COURSE_ACCESS, type CourseAccessPort } from './course-access.port';
import { parseId } from './ids';
import { can, courseCan } from './permissions';

/**
 * The one guard every route passes. A route must declare who may call it (@Public, @SignedIn,
 * @Allow, @InCourse); a route without a declaration is refused for everyone (deny by default).
 * Course routes are decided from the person's roles in course `:id` (404 for anyone without the
 * permission, so a course or a page one may not use looks like one that does not exist).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(COURSE_ACCESS) private readonly courseAccess?: CourseAccessPort,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule: refused`);
      throw new ForbiddenException();
    }
    if (rule.kind === 'public') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.user) throw new SignInRequiredError();
    if (rule.kind === 'signed-in') return true;
    if (rule.kind === 'permission') {
      if (can(req.user.role, rule.permission)) return true;
      throw new ForbiddenException();
    }
    if (!this.courseAccess) throw new Error('A course route needs the course access provider (CoursesModule)');
    const standing = await this.courseAccess.resolve(req.user, parseId(req.params.id));
    if (!courseCan(standing.roles, rule.permission)) throw new NotFoundError();
    req.courseStanding = standing;
    return true;
  }
}
