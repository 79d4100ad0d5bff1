import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { type StorageEngine } from 'multer';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { finalize, from, type Observable, switchMap } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { csrf, isMultipart } from '../common/csrf';

/** What the upload interceptor leaves on req.upload: a temporary file, or why there is none. */
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

/**
 * Writes the one file of a multipart form to a temporary file while hashing and counting it.
 * A file over the limit is drained and dropped rather than aborting the request, so the other
 * fields still arrive and the form can come back with them (422) and a message at the file field.
 */
class CountingStorage implements StorageEngine {
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  _handleFile(_req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File> & { tooLarge?: boolean; sha256?: string }) => void) {
    fs.mkdirSync(this.dir, { recursive: true });
    const tempPath = path.join(this.dir, `upload-${randomBytes(12).toString('hex')}`);
    const out = fs.createWriteStream(tempPath, { flags: 'wx' });
    const hash = createHash('sha256');
    let size = 0;
    let tooLarge = false;
    file.stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) return;
      if (size > this.maxBytes) {
        tooLarge = true;
        out.destroy();
        fs.rm(tempPath, { force: true }, () => undefined);
        return;
      }
      hash.update(chunk);
      if (!out.write(chunk)) {
        file.stream.pause();
        out.once('drain', () => file.stream.resume());
      }
    });
    file.stream.on('error', (err) => {
      out.destroy();
      fs.rm(tempPath, { force: true }, () => cb(err));
    });
    file.stream.on('end', () => {
      if (tooLarge) return cb(null, { path: '', size, tooLarge: true });
      out.end(() => cb(null, { path: tempPath, size, sha256: hash.digest('hex') }));
    });
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void) {
    if (!file.path) return cb(null);
    fs.rm(file.path, { force: true }, () => cb(null));
  }
}

/**
 * Parses a multipart form with one optional file field named "file", then checks the CSRF token
 * (which travels in the multipart body). The temporary file is always removed when the request
 * ends; a service that keeps it moves it first.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly middleware: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const maxBytes = config.uploadMaxMb * 1024 * 1024;
    this.middleware = multer({
      storage: new CountingStorage(path.join(config.uploadDir, 'tmp'), maxBytes),
      // Hard limits beyond which the request is cut off (and answered 413).
      limits: { fileSize: maxBytes * 4, files: 1, fields: 40, fieldSize: 200 * 1024, parts: 50, headerPairs: 200 },
    }).single('file');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    if (!isMultipart(req)) {
      // An ordinary form (no file field sent): its body and CSRF token were handled globally.
      req.upload = null;
      return next.handle();
    }
    const parse = new Promise<void>((resolve, reject) => {
      this.middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
    }).then(() => {
      const f = req.file as (Express.Multer.File & { tooLarge?: boolean; sha256?: string }) | undefined;
      req.upload = f && (f.size > 0 || f.originalname) ? { tempPath: f.path, originalName: f.originalname, size: f.size, sha256: f.sha256 ?? '', tooLarge: Boolean(f.tooLarge) } : null;
      if (req.upload && req.upload.size === 0 && !req.upload.originalName) req.upload = null;
      if (!csrf.isRequestValid(req)) throw csrf.invalidCsrfTokenError;
      if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
    });
    return from(parse).pipe(
      switchMap(() => next.handle()),
      finalize(() => {
        const p = req.upload?.tempPath ?? (req.file as Express.Multer.File | undefined)?.path;
        if (p) fs.rm(p, { force: true }, () => undefined);
      }),
    );
  }
}
