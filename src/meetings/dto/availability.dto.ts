import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, ToInt, Trim } from '../../common/form-fields';
import { IsTimeZone } from '../../common/is-time-zone';
import { DAY_OFF_ROWS, dayOffField, ONE_OFF_ROWS, oneOffFields, WEEKLY_ROWS, weeklyFields } from '../availability-form';

/**
 * The availability form. The booking rules are checked here; the rows of windows and days off
 * (fixed sets of fields, `weekly1Day` … `dayOff10`, so the form works without JavaScript) are
 * plain text here and read by `readAvailabilityRows`, which knows the course's phases.
 */
export class AvailabilityDto {
  @IsTimeZone({ message: 'Choose your time zone from the list.' })
  timeZone: string;

  @ToInt()
  @IsInt({ message: 'Enter the length of a meeting in minutes, from 15 to 240.' })
  @Min(15, { message: 'Enter the length of a meeting in minutes, from 15 to 240.' })
  @Max(240, { message: 'Enter the length of a meeting in minutes, from 15 to 240.' })
  slotMinutes: number;

  @ToInt()
  @IsInt({ message: 'Enter the break between meetings in minutes, from 0 to 120.' })
  @Min(0, { message: 'Enter the break between meetings in minutes, from 0 to 120.' })
  @Max(120, { message: 'Enter the break between meetings in minutes, from 0 to 120.' })
  bufferMinutes: number;

  @ToInt()
  @IsInt({ message: 'Enter the notice you need in hours, from 0 to 336 (14 days).' })
  @Min(0, { message: 'Enter the notice you need in hours, from 0 to 336 (14 days).' })
  @Max(336, { message: 'Enter the notice you need in hours, from 0 to 336 (14 days).' })
  minNoticeHours: number;

  @ToInt()
  @IsInt({ message: 'Enter how many days ahead teams may book, from 1 to 120.' })
  @Min(1, { message: 'Enter how many days ahead teams may book, from 1 to 120.' })
  @Max(120, { message: 'Enter how many days ahead teams may book, from 1 to 120.' })
  horizonDays: number;

  @EmptyToUndefined()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'Enter the most meetings one team may book with you, from 1 to 50, or leave it empty for no limit.' })
  @Min(1, { message: 'Enter the most meetings one team may book with you, from 1 to 50, or leave it empty for no limit.' })
  @Max(50, { message: 'Enter the most meetings one team may book with you, from 1 to 50, or leave it empty for no limit.' })
  maxPerTeam?: number;

  /** The version of the saved availability the form was opened on (0: none saved yet). */
  @ToInt()
  @IsInt()
  @Min(0)
  version: number;

  /** The row fields, by name (declared below). */
  [field: string]: unknown;
}

// The row fields: optional text, checked by readAvailabilityRows.
const rowFields = [
  ...Array.from({ length: WEEKLY_ROWS }, (_, i) => Object.values(weeklyFields(i + 1))),
  ...Array.from({ length: ONE_OFF_ROWS }, (_, i) => Object.values(oneOffFields(i + 1))),
  ...Array.from({ length: DAY_OFF_ROWS }, (_, i) => [dayOffField(i + 1)]),
].flat();
for (const name of rowFields) {
  for (const decorate of [Trim(), IsOptional(), IsString(), MaxLength(20, { message: 'This value is too long.' })]) decorate(AvailabilityDto.prototype, name);
}
