import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule } from '../src/common/access.decorator';
import { createTestApp, type TestApp } from './utils/create-test-app';

interface RouteInfo {
  route: string;
  rule: AccessRule | undefined;
}

/** Every route of the app, read from the controllers Nest has registered, with its access rule. */
function allRoutes(t: TestApp): RouteInfo[] {
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as new (...a: unknown[]) => unknown;
      if (!cls) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of scanner.getAllMethodNames(cls.prototype)) {
        const handler = (cls.prototype as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const rule = Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, cls);
        routes.push({ route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/'), rule });
      }
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

describe('every route declares who may use it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('finds the routes (the check below cannot pass vacuously)', () => {
    const routes = allRoutes(t).map((r) => r.route);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes).toEqual(expect.arrayContaining(['POST /sign-in', 'GET /admin/users', 'POST /admin/users/:id/deactivate', 'POST /invite/:token']));
  });

  it('has no route without @Public, @SignedIn or @Allow', () => {
    const undeclared = allRoutes(t).filter((r) => !r.rule).map((r) => r.route);
    expect(undeclared).toEqual([]);
  });

  it('keeps the public surface to the pages a visitor without an account needs', () => {
    const publicRoutes = allRoutes(t)
      .filter((r) => r.rule?.kind === 'public')
      .map((r) => r.route);
    // (besides these, /public/* and GET /healthz are served by plain middleware before sessions)
    expect(publicRoutes).toEqual([
      'GET /',
      'GET /invite/:token',
      'GET /password/forgot',
      'GET /password/reset/:token',
      'GET /sign-in',
      'POST /invite/:token',
      'POST /password/forgot',
      'POST /password/reset/:token',
      'POST /sign-in',
      'POST /sign-out',
    ]);
  });
});
