import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';

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
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
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
