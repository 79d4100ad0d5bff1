import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FormInvalidError, NotFoundError } from '../common/errors';
import { type SniffedKind, sniff, SNIFFED_LABELS } from '../common/file-sniff';
import type { Upload } from './upload';

export interface StoredFile {
  key: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

/** The columns a row keeps for a stored file (StoredFileColumns), from the store's description of it. */
export function storedFileColumns(f: StoredFile): { fileKey: string; fileName: string; fileType: string; fileSize: number; fileSha256: string } {
  return { fileKey: f.key, fileName: f.name, fileType: f.mime, fileSize: f.size, fileSha256: f.sha256 };
}

/** No stored file: the columns of a row (a link resource) that keeps none. */
export const NO_STORED_FILE = { fileKey: null, fileName: null, fileType: null, fileSize: null, fileSha256: null } as const;

/** What a download needs from a row's stored-file columns. */
export function downloadOf(row: { fileKey: string; fileName: string; fileType: string; fileSize: number }): {
  key: string;
  name: string;
  mime: string;
  size: number;
} {
  return { key: row.fileKey, name: row.fileName, mime: row.fileType, size: row.fileSize };
}

const KEY = /^[a-f0-9]{32}$/;
/** Names a sweep looks at, and asks the database about, at a time. */
export const SWEEP_BATCH = 500;

/**
 * Files kept under UPLOAD_DIR/files with generated names, outside any static route. They are
 * read only through access-checked downloads.
 */
@Injectable()
export class FileStore {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.dir = path.join(config.uploadDir, 'files');
  }

  /**
   * Checks an upload (size, type by content) and moves it into the store. Returns the stored
   * file; the caller writes its row and calls discard(key) if that fails, so no file is orphaned.
   */
  async keep(upload: Upload, field: string, allowed: readonly SniffedKind[]): Promise<StoredFile> {
    if (upload.tooLarge) {
      throw FormInvalidError.field(field, `This file is ${(upload.size / 1048576).toFixed(1)} MB; files may be at most ${this.config.uploadMaxMb} MB.`);
    }
    if (upload.size === 0) throw FormInvalidError.field(field, 'This file is empty.');
    const head = Buffer.alloc(Math.min(upload.size, 1024 * 1024));
    const fd = await fs.promises.open(upload.tempPath, 'r');
    try {
      await fd.read(head, 0, head.length, 0);
    } finally {
      await fd.close();
    }
    const type = sniff(head);
    if (!type || !allowed.includes(type.kind)) {
      const list = [...new Set(allowed.map((k) => SNIFFED_LABELS[k]))].join(', ');
      throw FormInvalidError.field(
        field,
        `${type ? `This file is a ${type.label}, which is not accepted here` : 'Atelier cannot tell what kind of file this is'}. Accepted: ${list}.`,
      );
    }
    const key = randomBytes(16).toString('hex');
    await fs.promises.mkdir(this.dir, { recursive: true });
    await fs.promises.rename(upload.tempPath, this.pathOf(key));
    return { key, name: safeName(upload.originalName, type.ext), mime: type.mime, size: upload.size, sha256: upload.sha256 };
  }

  async discard(key: string | null | undefined): Promise<void> {
    if (key && KEY.test(key)) await fs.promises.rm(this.pathOf(key), { force: true });
  }

  /**
   * Streams a stored file as an attachment (see setDownloadHeaders). A file that cannot be opened
   * answers 404; a read failing midway cuts the response off (never a crash).
   */
  async send(res: Response, file: { key: string; name: string; mime: string; size: number }): Promise<void> {
    const handle = KEY.test(file.key) ? await fs.promises.open(this.pathOf(file.key), 'r').catch(() => null) : null;
    const stat = handle ? await handle.stat().catch(() => null) : null;
    if (!handle || !stat?.isFile()) {
      await handle?.close().catch(() => undefined);
      throw new NotFoundError('This file is no longer available.');
    }
    setDownloadHeaders(res, { name: file.name, mime: file.mime, size: stat.size });
    pipeline(handle.createReadStream(), res, () => undefined);
  }

  /**
   * Removes what an interrupted request may have left: temporary uploads, and stored files that no
   * row refers to (a crash between moving a file in and committing its row). Only files older than
   * `graceMs` are touched, so uploads in progress are safe. The folders are walked in batches of
   * SWEEP_BATCH names: `referenced` (a set, or a question asked per batch) is asked about each
   * batch's names, only the names it does not know are looked at on disk, and the event loop is
   * yielded to between batches, so a sweep of any size does not hold up serving.
   */
  async sweep(referenced: ReadonlySet<string> | ((keys: string[]) => Promise<ReadonlySet<string>>), graceMs = 3600_000, now = Date.now()): Promise<number> {
    const named = typeof referenced === 'function' ? referenced : () => Promise.resolve(referenced);
    let removed = 0;
    for (const [dir, keeps] of [
      [path.join(this.config.uploadDir, 'tmp'), null],
      [this.dir, named],
    ] as const) {
      let handle: fs.Dir;
      try {
        handle = await fs.promises.opendir(dir, { bufferSize: 128 });
      } catch {
        continue;
      }
      let batch: string[] = [];
      const settle = async () => {
        const kept = keeps && batch.length ? await keeps(batch) : new Set<string>();
        const candidates = batch.filter((name) => !kept.has(name));
        batch = [];
        for (const name of candidates) {
          const p = path.join(dir, name);
          const stat = await fs.promises.stat(p).catch(() => null);
          if (stat?.isFile() && now - stat.mtimeMs > graceMs) {
            await fs.promises.rm(p, { force: true });
            removed++;
          }
        }
        await setImmediate();
      };
      for await (const entry of handle) {
        batch.push(entry.name);
        if (batch.length >= SWEEP_BATCH) await settle();
      }
      await settle();
    }
    return removed;
  }

  /** The path of a stored file, for streaming it into an archive; null for a malformed key. */
  pathFor(key: string): string | null {
    return KEY.test(key) ? this.pathOf(key) : null;
  }

  private pathOf(key: string): string {
    return path.join(this.dir, key);
  }
}

/** A display name without path parts or control characters, ending in the real type's extension. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE_IN_NAME = /[\x00-\x1f\x7f"\\/]/g;

export function safeName(original: string, ext: string): string {
  const base =
    path
      .basename(original || 'file')
      .replace(UNSAFE_IN_NAME, '')
      .trim()
      .slice(0, 200) || 'file';
  const hasExt =
    base.toLowerCase().endsWith(`.${ext}`) ||
    (ext === 'txt' && /\.(md|csv|txt)$/i.test(base)) ||
    (ext === 'jpg' && /\.jpe?g$/i.test(base)) ||
    (ext === 'doc' && /\.(doc|xls|ppt)$/i.test(base));
  return hasExt ? base : `${base.replace(/\.[^.]*$/, '')}.${ext}`;
}

/**
 * Headers for every download: an attachment, never rendered inline; its type as detected, not
 * sniffed by the browser; and should a browser render it anyway, a sandboxed document with no
 * scripts, no plugins and no access to the site (Content-Security-Policy: sandbox).
 */
export function setDownloadHeaders(res: Response, file: { name: string; mime: string; size?: number }): void {
  res.setHeader('Content-Type', file.mime);
  if (file.size !== undefined) res.setHeader('Content-Length', String(file.size));
  res.setHeader('Content-Disposition', contentDisposition(file.name));
  res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
}

/** RFC 6266 attachment header with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
