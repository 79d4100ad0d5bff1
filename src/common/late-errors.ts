import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-errors';
import type { JsonLogger } from '../logging/json-logger';
import { errorFields } from './app-exception.filter';

/**
 * Runs a middleware whose `next` may be called a second time, after the response has gone out:
 * express-session does so when saving or touching the session fails at the end of a response
 * (e.g. the database went away meanwhile). Such an error can no longer change the answer.
 * Passed on, it would reach Express's final handler, which prints it outside the JSON log and
 * destroys the connection (the client may get nothing at all), so it is logged here instead.
 * Errors before the response still go on to the exception filter (503 page).
 */
export function lateErrorsLogged(middleware: RequestHandler, logger: JsonLogger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    middleware(req, res, (err?: unknown) => {
      if (err && err !== 'route' && err !== 'router' && res.headersSent) {
        const unavailable = isDatabaseUnavailable(err);
        logger.emit(unavailable ? 'warn' : 'error', { msg: 'error after response sent', reqId: req.id, error: errorFields(err, !unavailable) });
        return;
      }
      next(err as Error);
    });
}
