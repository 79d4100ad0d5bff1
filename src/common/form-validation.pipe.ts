import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { FormInvalidError, NotFoundError } from './errors';
import { formErrorsFromValidation } from './form-view';

const base = { whitelist: true, transform: true, exceptionFactory: formErrorsFromValidation, validationError: { target: false, value: false } };

export const NUL_MESSAGE = 'This field contains a character that is not allowed (an invisible NUL character). Remove it and send the form again.';
export const OUT_OF_RANGE_MESSAGE = 'This number is out of range.';
/** Numbers end up in `integer` columns: 32-bit signed on PostgreSQL. */
const INT_MAX = 2_147_483_647;

/**
 * The one global validation pipe. Form bodies are strict: a field the form does not have is
 * refused (422) and nothing is stored. Query strings are lenient: unknown parameters (tracking
 * tags, old bookmarks) are dropped, and so is any known one whose value does not pass (a status
 * that does not exist, a page number that is not a number): the page shows as if it had not been
 * given, never a dead page of validator messages.
 *
 * Input the database cannot take is refused here too, for every route and both databases alike:
 * a NUL character (PostgreSQL cannot store it in text) is a message at its form field, "not
 * found" in a path, and a dropped parameter in a query string; a whole number beyond the integer
 * column range is a message at its form field and a dropped query parameter.
 */
@Injectable()
export class FormValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...base, forbidNonWhitelisted: true });
  private readonly lenient = new ValidationPipe({ ...base, forbidNonWhitelisted: false });

  transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'body') return this.body(value, metadata);
    if (metadata.type === 'query') return this.query(value, metadata);
    if (metadata.type === 'param' && fieldWith(value, hasNul, metadata.data) !== undefined) throw new NotFoundError();
    return this.lenient.transform(value, metadata);
  }

  private async body(value: unknown, metadata: ArgumentMetadata) {
    const nul = fieldWith(value, hasNul, metadata.data);
    if (nul !== undefined) throw FormInvalidError.field(nul, NUL_MESSAGE);
    const result: unknown = await this.strict.transform(value, metadata);
    const big = fieldWith(result, isOutOfRange, metadata.data);
    if (big !== undefined) throw FormInvalidError.field(big, OUT_OF_RANGE_MESSAGE);
    return result;
  }

  private async query(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.data !== undefined && contains(value, hasNul, 0)) value = undefined;
    let params =
      value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k, v]) => !hasNul(k) && !contains(v, hasNul, 0)))
        : value;
    for (let attempt = 0; ; attempt++) {
      try {
        const result: unknown = await this.lenient.transform(params, metadata);
        const big = fieldWith(result, isOutOfRange, metadata.data);
        if (big === undefined) return result;
        if (metadata.data !== undefined) return undefined;
        throw FormInvalidError.field(big, OUT_OF_RANGE_MESSAGE);
      } catch (err) {
        if (!(err instanceof FormInvalidError) || !params || typeof params !== 'object' || attempt > 3) throw err;
        const bad = Object.keys(err.fields).map((k) => k.split('.')[0]);
        if (!bad.some((k) => k in (params as object))) throw err;
        params = Object.fromEntries(Object.entries(params as Record<string, unknown>).filter(([k]) => !bad.includes(k)));
      }
    }
  }
}

function hasNul(v: unknown): boolean {
  return typeof v === 'string' && v.includes('\u0000');
}

function isOutOfRange(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) > INT_MAX;
}

/**
 * The form field (top-level name) whose value, or a value nested in it, fails `test`; for a value
 * bound to one named field (`@Query('from')`) that name. A key that itself fails counts as '_form'.
 */
function fieldWith(value: unknown, test: (v: unknown) => boolean, name: string | undefined): string | undefined {
  if (name !== undefined) return contains(value, test, 0) ? name : undefined;
  if (value === null || typeof value !== 'object') return contains(value, test, 0) ? '_form' : undefined;
  for (const [key, v] of Object.entries(value)) {
    if (test(key)) return '_form';
    if (contains(v, test, 0)) return key;
  }
  return undefined;
}

function contains(value: unknown, test: (v: unknown) => boolean, depth: number): boolean {
  if (test(value)) return true;
  if (value === null || typeof value !== 'object' || depth > 8) return false;
  return Object.entries(value).some(([k, v]) => test(k) || contains(v, test, depth + 1));
}
