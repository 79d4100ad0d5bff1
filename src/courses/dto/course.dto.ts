import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { isCountryCode } from '../../common/countries';
import { EmptyToUndefined, IsIsoDate, IsWallTime, PageNumber, ToArray, ToInt, Trim } from '../../common/form-fields';
import { IsTimeZone } from '../../common/is-time-zone';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { LANGUAGE_CODES } from '../../users/user.view';
import { PHASE_KINDS, type PhaseKind } from '../phase.entity';
import { SESSION_KINDS, type SessionKind } from '../programme-session.entity';

export function IsCountry(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name: 'isCountry', target: target.constructor, propertyName, options, validator: { validate: (v: unknown) => isCountryCode(v) } });
}

export class CourseDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter the title of the workshop.' })
  @MaxLength(300, { message: 'Use at most 300 characters.' })
  title: string;

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(300, { message: 'Use at most 300 characters.' })
  series?: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: 'The edition is a whole number, e.g. 6 for the 6th in the series.' })
  @Min(1, { message: 'The edition is a whole number, e.g. 6 for the 6th in the series.' })
  @Max(999, { message: 'The edition is a whole number, e.g. 6 for the 6th in the series.' })
  edition?: number;

  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Write a short summary: what country teams will develop, and how.' })
  @MaxLength(5000, { message: 'Keep the summary under 5,000 characters.' })
  summary: string;

  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Name the organisers, e.g. UNESCO Institute for Lifelong Learning and Shanghai Open University.' })
  @MaxLength(1000, { message: 'Use at most 1,000 characters.' })
  organisers: string;

  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter the campus or building of the in-person week.' })
  @MaxLength(200)
  venueCampus: string;

  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter the city of the venue.' })
  @MaxLength(200)
  venueCity: string;

  @IsCountry({ message: 'Choose the country of the venue from the list.' })
  venueCountry: string;

  @IsTimeZone({ message: 'Choose the time zone of the venue from the list.' })
  timeZone: string;

  @IsIsoDate({ message: 'Enter the first day of the course as a date.' })
  startsOn: string;

  @IsIsoDate({ message: 'Enter the last day of the course as a date.' })
  endsOn: string;

  @IsIn(LANGUAGE_CODES, { message: 'Choose the working language from the list.' })
  workingLanguage: string;

  @ToArray()
  @IsOptional()
  @IsIn(LANGUAGE_CODES, { each: true, message: 'Choose interpretation languages from the list.' })
  interpretationLanguages?: string[];
}

export class NewCourseDto extends CourseDto {
  @EmptyToUndefined()
  @IsOptional()
  @IsIsoDate({ message: 'Enter the first day of the in-person week as a date, or leave both empty.' })
  inPersonStartsOn?: string;

  @EmptyToUndefined()
  @ValidateIf((o: NewCourseDto) => o.inPersonStartsOn !== undefined || o.inPersonEndsOn !== undefined)
  @IsIsoDate({ message: 'Enter the last day of the in-person week as a date.' })
  inPersonEndsOn?: string;
}

export class EditCourseDto extends CourseDto {
  @ToInt()
  @IsInt()
  version: number;
}

export class PhaseDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Give the phase a title, e.g. “In-person week in Shanghai”.' })
  @MaxLength(200)
  title: string;

  @IsIn(PHASE_KINDS, { message: 'Choose online or in person.' })
  kind: PhaseKind;

  @IsIsoDate({ message: 'Enter the first day of the phase as a date.' })
  startsOn: string;

  @IsIsoDate({ message: 'Enter the last day of the phase as a date.' })
  endsOn: string;

  @Trim()
  @IsString()
  @MaxLength(5000)
  description: string;

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'Enter the full address of the platform, starting with https://' })
  @MaxLength(500)
  platformUrl?: string;
}

export class SessionDto {
  @IsIn(SESSION_KINDS, { message: 'Choose the kind of session.' })
  kind: SessionKind;

  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Give the session a title.' })
  @MaxLength(300)
  title: string;

  @Trim()
  @IsString()
  @MaxLength(200)
  room: string;

  @IsIsoDate({ message: 'Choose the day of the session.' })
  day: string;

  @IsWallTime({ message: 'Enter the start time as hours and minutes, e.g. 09:00.' })
  startTime: string;

  @IsWallTime({ message: 'Enter the end time as hours and minutes, e.g. 10:30.' })
  endTime: string;

  @Trim()
  @IsString()
  @MaxLength(2000)
  chairs: string;

  @Trim()
  @IsString()
  @MaxLength(2000)
  speakers: string;

  @ToArray()
  @IsOptional()
  @IsIn(LANGUAGE_CODES, { each: true, message: 'Choose interpretation languages from the list.' })
  interpretationLanguages?: string[];

  @Trim()
  @IsString()
  @MaxLength(5000)
  description: string;
}

export class CourseStatusDto {
  @IsIn(['draft', 'published', 'archived'], { message: 'Unknown status.' })
  status: 'draft' | 'published' | 'archived';
}

export class PageQuery {
  @PageNumber()
  page?: number;
}
