import type { LoggerService } from '@nestjs/common';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/** Keys whose values never reach a log line. */
const SECRET_KEY = /pass(word)?|secret|token|cookie|authorization|session|sid|csrf/i;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) && k !== 'reqId' ? '[redacted]' : redact(v, depth + 1)]),
  );
}

/**
 * Structured logs: one JSON object per line on stdout (errors on stderr), with the request id
 * where there is one. Used by Nest itself (app.useLogger) and by the request logger.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    level: LogLevel = 'info',
    private readonly write: (line: string, error: boolean) => void = defaultWrite,
  ) {
    this.threshold = LEVELS[level];
  }

  log(message: unknown, context?: string) {
    this.emit('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    this.emit('error', message, context);
  }
  warn(message: unknown, context?: string) {
    this.emit('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.emit('debug', message, context);
  }

  emit(level: Exclude<LogLevel, 'silent'>, message: unknown, context?: string): void {
    if (LEVELS[level] < this.threshold) return;
    const fields = typeof message === 'object' && message !== null ? (redact(message) as Record<string, unknown>) : { msg: String(message) };
    const line = JSON.stringify({ time: new Date().toISOString(), level, ...(context ? { context } : {}), ...fields });
    this.write(line, level === 'error');
  }
}

function defaultWrite(line: string, error: boolean) {
  (error ? process.stderr : process.stdout).write(line + '\n');
}
