import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule } from './access.decorator';

/** One route of the app as its controller declares it. */
export interface DeclaredRoute {
  /** 'GET', 'POST', … */
  method: string;
  /** Express path, e.g. '/courses/:id/resources/:resourceId/edit'. */
  path: string;
  controller: new (...args: never[]) => unknown;
  /** The handler method's name, and the method itself (its decorators' metadata is read from here). */
  name: string;
  handler: object;
}

/**
 * Every route of the app, read from the controllers Nest has registered. Works as soon as the app
 * is created (before init), so configureApp can set up per-route request handling from decorators.
 */
export function declaredRoutes(app: INestApplication): DeclaredRoute[] {
  const scanner = new MetadataScanner();
  const routes: DeclaredRoute[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as DeclaredRoute['controller'] | null;
      if (!controller) continue;
      const bases = ([] as string[]).concat((Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
        const handler = (controller.prototype as Record<string, object>)[name];
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        for (const base of bases) {
          for (const p of ([] as string[]).concat(paths)) {
            const path = `/${[base, p].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/');
            routes.push({ method, path, controller, name, handler });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`));
}

/** The access rule a route declares: on its handler, else on its controller class. */
export function accessRuleOf(route: Pick<DeclaredRoute, 'controller' | 'handler'>): AccessRule | undefined {
  return (Reflect.getMetadata(ACCESS_KEY, route.handler) ?? Reflect.getMetadata(ACCESS_KEY, route.controller)) as AccessRule | undefined;
}

/** Is this one of a course's routes (`/courses/:id` or below it)? */
export function isCourseRoute(path: string): boolean {
  return path === '/courses/:id' || path.startsWith('/courses/:id/');
}

/**
 * The course routes that do not declare a course permission (`@InCourse(...)`), as 'GET /path'.
 * Every route under /courses/:id must carry one, so that the access guard checks the person's
 * course roles before any handler runs; a route that only says `@SignedIn()` would let anyone
 * signed in reach it. Pure, so a test can run it over any set of routes.
 */
export function coursePermissionProblems(routes: readonly DeclaredRoute[]): string[] {
  return routes.filter((r) => isCourseRoute(r.path) && accessRuleOf(r)?.kind !== 'course').map((r) => `${r.method} ${r.path}`);
}
