import type { Request } from 'express';

export type FlashKind = 'success' | 'info' | 'warning';
export interface Flash {
  kind: FlashKind;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash[];
    signedInAt?: number;
  }
}

/** A message shown once, on the next page (POST → redirect → GET). */
export function flash(req: Request, kind: FlashKind, text: string): void {
  if (!req.session) return;
  (req.session.flash ??= []).push({ kind, text });
}

export function takeFlash(req: Request): Flash[] {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}
