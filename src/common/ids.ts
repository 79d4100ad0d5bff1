import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundError } from './errors';

/** The largest id a row can have: ids are `integer` columns (PostgreSQL: 32-bit signed). */
export const MAX_ID = 2_147_483_647;

/**
 * An id from a URL: a positive whole number written plainly ("12", not "012", "1e3" or " 1")
 * that fits an integer column. Anything else names no row, so it is "not found" (404), never a
 * 400 or a database error.
 */
export function parseId(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) throw new NotFoundError();
  const id = Number(text);
  if (id > MAX_ID) throw new NotFoundError();
  return id;
}

/** `@Param('id', IdPipe) id: number`: the one way a route reads an id from its path. */
@Injectable()
export class IdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    return parseId(value);
  }
}
