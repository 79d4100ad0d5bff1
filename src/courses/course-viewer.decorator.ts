import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { NotFoundError } from '../common/errors';
import type { CourseManager, CourseViewer } from './course-access.service';

/**
 * What the signed-in person is in this route's course, as the access guard found it. Only a
 * route declared with `@InCourse(permission)` has one: anything else is a programming error.
 */
export function viewerOf(req: Request): CourseViewer {
  if (!req.courseStanding) throw new Error(`${req.method} ${req.path} reads the course viewer but declares no @InCourse permission`);
  return req.courseStanding as CourseViewer;
}

/** The viewer as a manager of the course, or 404. The only place a `CourseManager` is made. */
export function managerOf(req: Request): CourseManager {
  const v = viewerOf(req);
  if (!v.canManage) throw new NotFoundError();
  return v as CourseManager;
}

/** `@Viewer() v: CourseViewer` — the person's place in the course of `/courses/:id/…`. */
export const Viewer = createParamDecorator((_: unknown, ctx: ExecutionContext) => viewerOf(ctx.switchToHttp().getRequest<Request>()));

/** `@Manager() m: CourseManager` — the same, for a manager of the course only (404 for others). */
export const Manager = createParamDecorator((_: unknown, ctx: ExecutionContext) => managerOf(ctx.switchToHttp().getRequest<Request>()));
