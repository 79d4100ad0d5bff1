import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EmptyToUndefined, IsIsoDate, IsWallTime, ToArray, ToInt, Trim } from '../../common/form-fields';
import { AGENDA_MAX } from './booking.dto';

export const SCHEDULED_KINDS = ['peer_exchange', 'plenary', 'other'] as const;
export type ScheduledKind = (typeof SCHEDULED_KINDS)[number];
export const DURATION_MIN = 15;
export const DURATION_MAX = 480;
const DURATION_MESSAGE = `Enter how long the meeting lasts, in minutes: ${DURATION_MIN} to ${DURATION_MAX}.`;
const ID_LIST = /^\d{1,9}$/;

/** A meeting a facilitator schedules: its kind, who hosts it, the teams and people in it, when (on the viewer's clock) and for how long. */
export class ScheduleDto {
  @IsIn(SCHEDULED_KINDS, { message: 'Choose the kind of meeting.' })
  kind: ScheduledKind;

  @Trim()
  @IsString({ message: 'Give the meeting a title.' })
  @MinLength(1, { message: 'Give the meeting a title.' })
  @MaxLength(200, { message: 'Keep the title under 200 characters.' })
  title: string;

  @Trim()
  @IsString()
  @MaxLength(AGENDA_MAX, { message: `Keep the agenda under ${AGENDA_MAX} characters.` })
  agenda: string = '';

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(500, { message: 'Keep the link under 500 characters.' })
  @Matches(/^https:\/\/[^\s<>"]+$/, { message: 'Enter a link starting with https://, e.g. https://meet.example.org/peer-exchange.' })
  link?: string;

  @ToInt()
  @IsInt({ message: 'Choose who hosts the meeting.' })
  host: number;

  @ToArray()
  @Matches(ID_LIST, { each: true, message: 'Choose teams from the list.' })
  teams: string[] = [];

  @ToArray()
  @Matches(ID_LIST, { each: true, message: 'Choose people from the list.' })
  people: string[] = [];

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(200, { message: 'Keep the languages under 200 characters.' })
  interpretationRequested?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(200, { message: 'Keep the languages under 200 characters.' })
  interpretationProvided?: string;

  @IsIsoDate({ message: 'Enter the day of the meeting, e.g. 2024-11-05.' })
  date: string;

  @IsWallTime({ message: 'Enter the start time as HH:MM, e.g. 14:00.' })
  time: string;

  @ToInt()
  @IsInt({ message: DURATION_MESSAGE })
  @Min(DURATION_MIN, { message: DURATION_MESSAGE })
  @Max(DURATION_MAX, { message: DURATION_MESSAGE })
  duration: number;
}
