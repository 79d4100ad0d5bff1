import { SetMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { bodyLimitOf, DEFAULT_BODY_LIMIT, formatBytes, TooLargeError } from '../common/request-body';
import { declaredRoutes } from '../common/routes';

/** What the multipart parser leaves on req.upload: a temporary file, or why there is none. */
export interface Upload {
  tempPath: string;
  originalName: string;
  size: number;
  sha256: string;
  tooLarge: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    upload?: Upload | null;
  }
}

const ACCEPTS_FILE_KEY = 'atelier:accepts-file';

/**
 * This handler's multipart form may carry one file, in the field "file" (req.upload). Elsewhere,
 * and for anyone not signed in, file parts are read and dropped: nothing is stored.
 */
export const AcceptsFile = () => SetMetadata(ACCEPTS_FILE_KEY, true);

/** Room for the other fields of a form that carries a file (titles, descriptions, review comments). */
const FIELDS_ALLOWANCE = 1024 * 1024;
/** A file may run this many times over the limit and still be drained, so the form comes back (422). */
const DRAIN_FACTOR = 4;

/**
 * Whether a request says its body is multipart. (Should multer judge otherwise, it leaves the body
 * unparsed, and the CSRF check, which every non-GET request passes, refuses it for want of a token.)
 */
export function isMultipart(req: Request): boolean {
  return /^\s*multipart\//i.test(req.headers['content-type'] ?? '');
}

class BadFormError extends DomainError {
  constructor(message: string) {
    super(400, 'Bad request', message);
  }
}

/**
 * Writes the one file of a multipart form to a temporary file while hashing and counting it.
 * A file over the limit is not aborted but drained and dropped, so the fields after it still
 * arrive and the form can come back with them (422) and a message at the file field.
 *
 * Every stream has an error listener; nothing is written once writing stopped; the form keeps
 * flowing whatever happens to the temporary file; the callback comes only after the temporary
 * file is closed, and removed if it is not kept.
 */
export class CountingStorage implements StorageEngine {
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File> & { tooLarge?: boolean; sha256?: string }) => void,
  ): void {
    const src = file.stream;
    const tempPath = path.join(this.dir, `upload-${randomBytes(12).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    let writing = true;
    let failure: unknown = null;
    let settled = false;

    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      src.resume();
      return cb(err);
    }
    const out = fs.createWriteStream(tempPath, { flags: 'wx' });
    const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
    // Once writing stopped, an error (e.g. a write in flight when the stream was destroyed) is expected.
    out.on('error', (err) => {
      if (writing) failure = err;
      stopWriting();
    });

    function stopWriting() {
      if (!writing) return;
      writing = false;
      src.resume(); // the rest of the file is counted and dropped; the form keeps flowing
      out.destroy();
    }

    const settle = async (srcError?: unknown) => {
      if (settled) return;
      settled = true;
      await closed;
      const keep = writing && !srcError && !failure;
      if (!keep) await fs.promises.rm(tempPath, { force: true }).catch(() => undefined);
      if (srcError || failure) return cb(srcError ?? failure);
      if (!keep) return cb(null, { path: '', size, tooLarge: true, sha256: '' });
      cb(null, { path: tempPath, size, sha256: hash.digest('hex') });
    };

    src.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!writing) return;
      if (size > this.maxBytes) return stopWriting();
      hash.update(chunk);
      if (!out.write(chunk)) {
        src.pause();
        out.once('drain', () => {
          if (writing) src.resume();
        });
      }
    });
    src.once('error', (err) => {
      stopWriting();
      void settle(err);
    });
    src.once('end', () => {
      if (writing) out.end();
      void settle();
    });
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    if (!file.path) return cb(null);
    fs.rm(file.path, { force: true }, () => cb(null));
  }
}

/** The declared body length, or null when the body is sent without one (chunked). */
function declaredLength(req: Request): number | null {
  const v = req.headers['content-length'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

/**
 * Multipart forms are parsed before the CSRF check (which needs their token): on routes with
 * @AcceptsFile by a parser that keeps the file (for signed-in people), elsewhere by one that keeps
 * only the fields. Bodies whose Content-Length is already over what the route can take are refused
 * at once, unread (413). The temporary file is removed when the response ends; a service that
 * keeps the file has moved it by then.
 */
export function useMultipartParsers(app: NestExpressApplication, config: AppConfig): void {
  const server = app.getHttpAdapter().getInstance();
  const maxBytes = config.uploadMaxMb * 1024 * 1024;
  const maxFileMessage = `files may be at most ${config.uploadMaxMb} MB`;
  const fieldLimits = { fields: 40, fieldSize: 200 * 1024, parts: 50, headerPairs: 200 };
  const withFile = multer({
    storage: new CountingStorage(path.join(config.uploadDir, 'tmp'), maxBytes),
    limits: { ...fieldLimits, fileSize: DRAIN_FACTOR * maxBytes, files: 1 },
  }).single('file');
  // File parts where no file is taken are read and dropped (the body's size is capped by its Content-Length).
  const fieldsOnly = (fieldSize: number) =>
    multer({ storage: multer.memoryStorage(), fileFilter: (_req, _file, cb) => cb(null, false), limits: { ...fieldLimits, fieldSize } }).any();

  const tooLarge = (declared: number | null) =>
    new TooLargeError(
      `This file${declared ? ` (${formatBytes(declared)})` : ''} is far too large: ${maxFileMessage}. Nothing was saved. Go back with your browser: what you typed is usually still in the form; choose a smaller file.`,
    );

  function parser(acceptsFile: boolean, bodyLimit: number): RequestHandler {
    const fields = fieldsOnly(bodyLimit);
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.upload !== undefined || req.method === 'GET' || req.method === 'HEAD' || !isMultipart(req)) return next();
      req.upload = null;
      const keepsFile = acceptsFile && Boolean(req.user);
      const cap = keepsFile ? DRAIN_FACTOR * maxBytes + FIELDS_ALLOWANCE : bodyLimit;
      const declared = declaredLength(req);
      if (declared !== null && declared > cap) {
        // Refused before anything is parsed or written. (Node then reads the rest of the body and drops it,
        // so a browser still sending gets the answer rather than a reset connection.)
        return next(
          keepsFile
            ? tooLarge(declared)
            : new TooLargeError(`What you sent (${formatBytes(declared)}) is larger than Atelier accepts here (${formatBytes(cap)}). Nothing was saved.`),
        );
      }
      res.once('close', () => {
        const p = req.file?.path;
        if (p) fs.rm(p, { force: true }, () => undefined);
      });
      (keepsFile ? withFile : fields)(req, res, (err?: unknown) => {
        if (err) return next(multipartError(err, () => tooLarge(declared)));
        // tsc needs this assertion (our storage engine adds sha256 and tooLarge to multer's File);
        // typescript-eslint resolves multer's global Express.Multer type differently and calls it unnecessary.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        const f = req.file as (Express.Multer.File & { tooLarge?: boolean; sha256?: string }) | undefined;
        req.upload =
          keepsFile && f && (f.size > 0 || f.originalname)
            ? { tempPath: f.path, originalName: f.originalname, size: f.size, sha256: f.sha256 ?? '', tooLarge: Boolean(f.tooLarge) }
            : null;
        next();
      });
    };
  }

  for (const route of declaredRoutes(app)) {
    if (route.method === 'GET') continue;
    const acceptsFile = Reflect.getMetadata(ACCEPTS_FILE_KEY, route.handler) === true;
    const limit = bodyLimitOf(route.handler);
    if (acceptsFile || limit !== DEFAULT_BODY_LIMIT) server.route(route.path)[route.method.toLowerCase() as 'post'](parser(acceptsFile, limit));
  }
  app.use(parser(false, DEFAULT_BODY_LIMIT));
}

/** Multer's and busboy's refusals as pages: sizes 413, malformed or unexpected parts 400; anything else stays a fault (500). */
function multipartError(err: unknown, fileTooLarge: () => TooLargeError): unknown {
  if (err instanceof MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return fileTooLarge();
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_COUNT':
      case 'LIMIT_FIELD_VALUE':
      case 'LIMIT_FIELD_KEY':
        return new TooLargeError('This form has more, or longer, fields than Atelier accepts here. Nothing was saved.');
      default:
        return new BadFormError(
          'This form arrived in a shape Atelier does not accept (for example a second file, or a file in another field). Nothing was saved.',
        );
    }
  }
  const message = (err as Error | null)?.message ?? '';
  if (/^(Malformed|Unexpected end|Request (aborted|closed)|Multipart: Boundary not found|Unsupported content type)/i.test(message)) {
    return new BadFormError('The form arrived incomplete or malformed. Nothing was saved. Please send it again.');
  }
  return err;
}
