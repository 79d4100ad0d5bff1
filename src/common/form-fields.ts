import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { toText } from './to-text';
import { isIsoDate, isWallTime } from './zoned-time';

/** Trims text fields; an empty optional field becomes undefined (forms send '' for "nothing"). */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
export const EmptyToUndefined = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));
/** A query-string number: '' or absent → undefined, otherwise the number (validated by @IsInt). */
export const ToInt = () =>
  Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(toText(value)) ? Number(value) : value));

/** A list's `?page=`: a whole number from 1 to 100,000, or absent (the list opens on its first page). */
export const PageNumber = () => applyDecorators(ToInt(), IsOptional(), IsInt({ message: 'The page must be a number.' }), Min(1), Max(100000));

/** The field must equal another field of the same form (e.g. "repeat the password"). */
export function Matches(other: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'matchesField',
      target: target.constructor,
      propertyName,
      constraints: [other],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => value === (args.object as Record<string, unknown>)[other],
      },
    });
}

/**
 * A list field: checkboxes send nothing, one value, or several. Empty values are dropped: a
 * checkbox group (views/partials/form/checkboxes.hbs) sends an empty one first, so that a form
 * with every box cleared still names the field, and a refused form shows the boxes as the person
 * left them rather than as they were saved.
 */
export const ToArray = () =>
  Transform(({ value }: { value: unknown }) => (value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]).filter((v) => v !== ''));

/** A calendar date "YYYY-MM-DD" (what <input type="date"> sends). */
export function IsIsoDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name: 'isIsoDate', target: target.constructor, propertyName, options, validator: { validate: (v: unknown) => isIsoDate(v) } });
}

/** A time of day "HH:MM" (what <input type="time"> sends). */
export function IsWallTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name: 'isWallTime', target: target.constructor, propertyName, options, validator: { validate: (v: unknown) => isWallTime(v) } });
}
