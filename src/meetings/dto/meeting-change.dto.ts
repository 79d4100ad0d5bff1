import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { EmptyToUndefined, IsIsoDate, IsWallTime, ToInt, Trim } from '../../common/form-fields';

export const REASON_MAX = 500;

/**
 * Moving a meeting: a consultation to one of the expert's free slots (`slot`, its start as ISO UTC);
 * any other meeting to a day and time typed in the viewer's zone (`day`, `time`). Which of the two
 * a meeting needs is the service's check; the form also says which it showed (`times`), so that a
 * form sent empty gets every missing field named at once, the time with the reason (the service
 * still decides by the meeting's kind, whatever `times` says). `version` is the meeting's version
 * the page showed.
 */
export class RescheduleDto {
  @ToInt()
  @IsInt()
  @Min(1)
  version: number;

  @Trim()
  @IsString({ message: 'Say why the meeting is moved.' })
  @MinLength(1, { message: 'Say why the meeting is moved.' })
  @MaxLength(REASON_MAX, { message: `Keep the reason under ${REASON_MAX} characters.` })
  reason: string;

  /** Which fields the form showed: the expert's free times, or a day and a time. */
  @IsOptional()
  @IsIn(['slot', 'day'], { message: 'Send the form from the meeting’s page.' })
  times?: 'slot' | 'day';

  @EmptyToUndefined()
  @ValidateIf((o: RescheduleDto) => o.times === 'slot' || o.slot !== undefined)
  @IsString({ message: 'Choose one of the free times.' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, { message: 'Choose one of the free times.' })
  slot?: string;

  @EmptyToUndefined()
  @Trim()
  @ValidateIf((o: RescheduleDto) => o.times === 'day' || o.day !== undefined)
  @IsIsoDate({ message: 'Enter the new day as YYYY-MM-DD, e.g. 2024-11-05.' })
  day?: string;

  @EmptyToUndefined()
  @Trim()
  @ValidateIf((o: RescheduleDto) => o.times === 'day' || o.time !== undefined)
  @IsWallTime({ message: 'Enter the new time as HH:MM (24-hour clock), e.g. 14:30.' })
  time?: string;
}

/** Cancelling a meeting: why, and the meeting's version the page showed. */
export class CancelMeetingDto {
  @ToInt()
  @IsInt()
  @Min(1)
  version: number;

  @Trim()
  @IsString({ message: 'Say why the meeting is cancelled.' })
  @MinLength(1, { message: 'Say why the meeting is cancelled.' })
  @MaxLength(REASON_MAX, { message: `Keep the reason under ${REASON_MAX} characters.` })
  cancelReason: string;
}
