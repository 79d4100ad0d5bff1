import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../database/database-errors';
import { DomainError, FormInvalidError, SignInRequiredError, TooManyAttemptsError } from './errors';
import { keptValues } from './form-view';
import { toText } from './to-text';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Not allowed',
  410: 'Link no longer valid',
  413: 'Too large',
  415: 'Unsupported content',
  422: 'Please check the form',
  429: 'Too many attempts',
  500: 'Something went wrong',
  503: 'Atelier is busy',
};

const MESSAGES: Record<number, string> = {
  400: 'The request could not be understood. Please go back and try again.',
  401: 'Please sign in to continue.',
  403: 'You do not have permission to do this. If you think you should, ask a facilitator or an administrator.',
  404: 'The page you asked for does not exist, or you do not have access to it.',
  413: 'What you sent is larger than Atelier accepts.',
  500: 'Atelier could not complete your request. Nothing was changed. Please try again; if it happens again, tell the workshop team and quote the reference below.',
};

export function wantsJson(req: Request): boolean {
  return req.path === '/healthz' || req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

/** Only a same-site path may be a redirect target. */
export function safeNext(target: unknown): string | undefined {
  return typeof target === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(target) ? target : undefined;
}

/**
 * Turns every error into a page a person can act on, or a JSON 4xx/5xx for API callers:
 * forms come back with 422 and the values kept; unknown errors are logged with the request id
 * and shown as a plain 500 page, never a stack trace.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly moduleRef: ModuleRef) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      const unavailable = isDatabaseUnavailable(exception);
      this.logger[unavailable ? 'warn' : 'error']({ msg: 'error after response started', reqId: req.id, error: errorFields(exception, !unavailable) });
      return;
    }
    try {
      await this.respond(exception, req, res);
    } catch (err) {
      this.logger.error({ msg: 'error page failed', reqId: req.id, error: errorFields(err) });
      if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong.');
    }
  }

  private async respond(exception: unknown, req: Request, res: Response): Promise<void> {
    if (exception instanceof SignInRequiredError) {
      if (!wantsJson(req) && req.method === 'GET') {
        const next = safeNext(req.originalUrl);
        const query = new URLSearchParams();
        if (next && next !== '/') query.set('next', next);
        if (exception.reason === 'expired') query.set('expired', '1');
        const qs = query.toString();
        return res.redirect(303, `/sign-in${qs ? `?${qs}` : ''}`);
      }
      return this.page(req, res, 401, TITLES[401], MESSAGES[401]);
    }

    if (exception instanceof FormInvalidError) return this.invalidForm(exception, req, res);

    // The database is locked, down or out of connections: a 503 the person can retry, logged
    // as a warning (it is not a bug), never a 500 or a dropped connection.
    if (!(exception instanceof DatabaseUnavailableError) && isDatabaseUnavailable(exception)) {
      this.logger.warn({ msg: 'database unavailable', reqId: req.id, method: req.method, route: routePath(req), error: errorFields(exception, false) });
      return this.respond(new DatabaseUnavailableError(), req, res);
    }

    if (exception instanceof DatabaseUnavailableError) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      return this.page(req, res, exception.status, exception.title, exception.message);
    }

    if (exception instanceof DomainError) {
      if (exception instanceof TooManyAttemptsError) res.setHeader('Retry-After', String(Math.ceil(exception.retryAfterSeconds)));
      return this.page(req, res, exception.status, exception.title, exception.message);
    }

    const status = statusOf(exception);
    if (status >= 500) {
      this.logger.error({ msg: 'unhandled error', reqId: req.id, method: req.method, route: routePath(req), error: errorFields(exception) });
      return this.page(req, res, 500, TITLES[500], MESSAGES[500]);
    }
    let message = MESSAGES[status] ?? TITLES[status] ?? 'The request could not be completed.';
    const original = (exception as { cause?: unknown })?.cause ?? exception; // Nest wraps http-errors
    if ((original as { code?: string })?.code === 'EBADCSRFTOKEN') {
      message =
        'This form could not be accepted because its security token is missing or out of date (for example after signing in again in another tab). Go back, reload the page and send the form again.';
    }
    return this.page(req, res, status, TITLES[status] ?? 'Request refused', message);
  }

  private async invalidForm(error: FormInvalidError, req: Request, res: Response): Promise<void> {
    const errorList = Object.entries(error.fields).flatMap(([field, messages]) => messages.map((message) => ({ field, message })));
    if (wantsJson(req) || !req.formView) {
      if (wantsJson(req)) {
        res.status(422).json({ statusCode: 422, error: 'Unprocessable Entity', errors: error.fields });
        return;
      }
      return this.page(req, res, 422, TITLES[422], errorList.map((e) => e.message).join(' '));
    }
    const { template, context, controller } = req.formView;
    let model: Record<string, unknown> = {};
    if (context) {
      const instance = this.moduleRef.get<object, Record<string, (req: Request) => unknown>>(controller, { strict: false });
      try {
        model = ((await instance[context](req)) as Record<string, unknown> | undefined) ?? {};
      } catch (err) {
        // The form's page itself is not available to this person (e.g. 404 for someone else's
        // course): that answer wins over the validation messages, which would reveal the page.
        if (err instanceof FormInvalidError) throw err;
        return this.respond(err, req, res);
      }
    }
    const values = { ...((model.values as object) ?? {}), ...keptValues(req.body) };
    res.status(422).render(template, {
      ...model,
      title: model.title ? `Error: ${toText(model.title)}` : 'Error',
      values,
      errors: error.fields,
      errorList,
    });
  }

  private page(req: Request, res: Response, status: number, title: string, message: string): void {
    if (wantsJson(req)) {
      res.status(status).json({ statusCode: status, error: title, message, requestId: req.id });
      return;
    }
    res.status(status).render('errors/error', { title, heading: title, message, status, requestId: status >= 500 ? req.id : undefined });
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const e = exception as { status?: unknown; statusCode?: unknown; expose?: boolean } | null;
  const s = Number(e?.status ?? e?.statusCode);
  if (Number.isInteger(s) && s >= 400 && s < 500 && e?.expose !== false) return s;
  return 500;
}

/** An error as log fields. Duck-typed: errors from Node's internals may come from another realm. */
export function errorFields(error: unknown, withStack = true): Record<string, unknown> {
  const e = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; reason?: unknown; driverError?: { code?: unknown } } | null;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    const code = e.driverError?.code ?? e.code;
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: e.message,
      ...(code !== undefined ? { code: toText(code) } : {}),
      ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
      ...(withStack ? { stack: e.stack } : {}),
    };
  }
  return { value: String(error) };
}

/** The route pattern that matched (Express types `req.route` as any). */
function routePath(req: Request): string | undefined {
  return (req.route as { path?: string } | undefined)?.path;
}
