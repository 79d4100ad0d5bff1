import { Controller, Get, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InCourse, SignedIn } from '../src/common/access.decorator';
import { accessRuleOf, coursePermissionProblems, declaredRoutes } from '../src/common/routes';
import { createTestApp, type TestApp } from './utils/create-test-app';

describe('every route declares who may use it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const routes = () => declaredRoutes(t.app).map((r) => ({ route: `${r.method} ${r.path}`, path: r.path, rule: accessRuleOf(r) }));

  it('finds the routes (the check below cannot pass vacuously)', () => {
    const all = routes().map((r) => r.route);
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(all).toEqual(expect.arrayContaining(['POST /sign-in', 'GET /admin/users', 'POST /admin/users/:id/deactivate', 'POST /invite/:token']));
  });

  it('has no route without @Public, @SignedIn or @Allow', () => {
    const undeclared = routes()
      .filter((r) => !r.rule)
      .map((r) => r.route);
    expect(undeclared).toEqual([]);
  });

  it('keeps the public surface to the pages a visitor without an account needs', () => {
    const publicRoutes = routes()
      .filter((r) => r.rule?.kind === 'public')
      .map((r) => r.route);
    // (besides these, /public/* and GET /healthz are served by plain middleware before sessions)
    expect(publicRoutes).toEqual([
      'GET /',
      'GET /calendar/:token.ics',
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

  it('finds the course routes (the check below cannot pass vacuously)', () => {
    const courseRoutes = routes().filter((r) => r.path === '/courses/:id' || r.path.startsWith('/courses/:id/'));
    expect(courseRoutes.length).toBeGreaterThanOrEqual(40);
    expect(courseRoutes.map((r) => r.route)).toEqual(expect.arrayContaining(['GET /courses/:id', 'GET /courses/:id/tasks', 'POST /courses/:id/teams']));
  });

  it('every course route declares its course permission (@InCourse)', () => {
    expect(coursePermissionProblems(declaredRoutes(t.app))).toEqual([]);
  });
});

describe('a course route without a course permission cannot ship', () => {
  // What a developer might write: a new course page that only says "signed in".
  @Controller('courses/:id/forgotten')
  @SignedIn()
  class ForgottenController {
    @Get()
    page() {
      return 'anyone signed in sees this';
    }
  }

  // The same, done right, as a control: the checker must not report it.
  @Controller('courses/:id/remembered')
  class RememberedController {
    @Get()
    @InCourse('course.view')
    page() {
      return 'only the course';
    }

    @Post()
    @InCourse('tasks.manage')
    save() {
      return 'only managers';
    }
  }

  // A handler-level @SignedIn on an @InCourse controller overrides it: also a problem.
  @Controller('courses/:id/overridden')
  @InCourse('course.view')
  class OverriddenController {
    @Get()
    @SignedIn()
    page() {
      return 'anyone signed in';
    }
  }

  it('is reported by the same check the route test runs over the app', async () => {
    const module = await Test.createTestingModule({ controllers: [ForgottenController, RememberedController, OverriddenController] }).compile();
    const app = module.createNestApplication();
    try {
      const declared = declaredRoutes(app);
      expect(declared.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /courses/:id/forgotten',
        'GET /courses/:id/overridden',
        'GET /courses/:id/remembered',
        'POST /courses/:id/remembered',
      ]);
      expect(coursePermissionProblems(declared)).toEqual(['GET /courses/:id/forgotten', 'GET /courses/:id/overridden']);
    } finally {
      await app.close();
    }
  });
});
