import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
  ValidationError,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { FormInvalidError } from './errors';

export const FORM_VIEW_KEY = 'atelier:form-view';

export interface FormViewSpec {
  template: string;
  /** Name of a controller method `(req) => view model` giving what the template needs besides the form. */
  context?: string;
}

export interface FormViewBinding extends FormViewSpec {
  controller: new (...args: never[]) => object;
}

declare module 'express-serve-static-core' {
  interface Request {
    formView?: FormViewBinding;
  }
}

/** Records the running handler's @FormView on the request, for the exception filter. */
@Injectable()
export class FormViewInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<FormViewSpec | undefined>(FORM_VIEW_KEY, context.getHandler());
    if (spec) context.switchToHttp().getRequest<Request>().formView = { ...spec, controller: context.getClass() };
    return next.handle();
  }
}

/**
 * Names the template that shows this handler's form. When the body is invalid (validation pipe)
 * or the service refuses it (FormInvalidError), the filter renders this template again with
 * status 422, each message beside its field, and the values the person typed. Only such handlers
 * pass through the interceptor (not a global one): a page without a form takes no RxJS pipeline.
 */
export const FormView = (template: string, context?: string) =>
  applyDecorators(SetMetadata(FORM_VIEW_KEY, { template, context } satisfies FormViewSpec), UseInterceptors(FormViewInterceptor));

/** ValidationPipe's exceptionFactory: class-validator errors keyed by field. */
export function formErrorsFromValidation(errors: ValidationError[]): FormInvalidError {
  const fields: Record<string, string[]> = {};
  const visit = (list: ValidationError[], prefix: string) => {
    for (const e of list) {
      const key = prefix ? `${prefix}.${e.property}` : e.property;
      if (e.constraints) {
        const messages = Object.entries(e.constraints).map(([name, message]) =>
          name === 'whitelistValidation' ? `This form does not have a field called "${e.property}".` : message,
        );
        const target = e.constraints.whitelistValidation ? '_form' : key;
        // Rules that fail together often say the same thing ("Choose one of the free times."): once each.
        const list = (fields[target] ??= []);
        for (const message of messages) if (!list.includes(message)) list.push(message);
      }
      if (e.children?.length) visit(e.children, key);
    }
  };
  visit(errors, '');
  return new FormInvalidError(fields);
}

const SECRET_FIELD = /password|secret|token|_csrf/i;

/**
 * What the person typed, safe to send back into the form (never passwords or tokens). NUL
 * characters, which the form refuses, are left out so the text can be sent again as it shows.
 */
export function keptValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([k]) => !SECRET_FIELD.test(k))
      .map(([k, v]) => [k, withoutNul(v)]),
  );
}

function withoutNul(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('\u0000', '');
  return Array.isArray(v) ? v.map(withoutNul) : v;
}
