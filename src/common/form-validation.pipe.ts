import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe } from '@nestjs/common';
import { formErrorsFromValidation } from './form-view';

const base = { whitelist: true, transform: true, exceptionFactory: formErrorsFromValidation, validationError: { target: false, value: false } };

/**
 * The one global validation pipe. Form bodies are strict: a field the form does not have is
 * refused (422) and nothing is stored. Query strings are lenient: unknown parameters (tracking
 * tags, old bookmarks) are dropped, known ones validated.
 */
@Injectable()
export class FormValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...base, forbidNonWhitelisted: true });
  private readonly lenient = new ValidationPipe({ ...base, forbidNonWhitelisted: false });

  transform(value: unknown, metadata: ArgumentMetadata) {
    return (metadata.type === 'body' ? this.strict : this.lenient).transform(value, metadata);
  }
}
