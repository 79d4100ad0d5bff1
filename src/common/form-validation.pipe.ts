import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { FormInvalidError } from './errors';
import { formErrorsFromValidation } from './form-view';

const base = { whitelist: true, transform: true, exceptionFactory: formErrorsFromValidation, validationError: { target: false, value: false } };

/**
 * The one global validation pipe. Form bodies are strict: a field the form does not have is
 * refused (422) and nothing is stored. Query strings are lenient: unknown parameters (tracking
 * tags, old bookmarks) are dropped, and so is any known one whose value does not pass (a status
 * that does not exist, a page number that is not a number): the page shows as if it had not been
 * given, never a dead page of validator messages.
 */
@Injectable()
export class FormValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...base, forbidNonWhitelisted: true });
  private readonly lenient = new ValidationPipe({ ...base, forbidNonWhitelisted: false });

  transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'body') return this.strict.transform(value, metadata);
    if (metadata.type === 'query') return this.query(value, metadata);
    return this.lenient.transform(value, metadata);
  }

  private async query(value: unknown, metadata: ArgumentMetadata) {
    let params = value && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : value;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.lenient.transform(params, metadata);
      } catch (err) {
        if (!(err instanceof FormInvalidError) || !params || typeof params !== 'object' || attempt > 3) throw err;
        const bad = Object.keys(err.fields).map((k) => k.split('.')[0]);
        if (!bad.some((k) => k in (params as object))) throw err;
        params = Object.fromEntries(Object.entries(params as Record<string, unknown>).filter(([k]) => !bad.includes(k)));
      }
    }
  }
}
