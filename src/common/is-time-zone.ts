import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isTimeZone } from './time';

/** An IANA time zone name the runtime knows, e.g. "Africa/Nairobi". */
export function IsTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name: 'isTimeZone', target: target.constructor, propertyName, options, validator: { validate: (v: unknown) => isTimeZone(v) } });
}
