import { IsInt, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { EmptyToUndefined, ToInt, Trim } from '../../common/form-fields';

export const AGENDA_MAX = 4000;

/** The booking form: the expert, the team, one of the offered slots (its start as ISO UTC), the agenda and a link. */
export class BookingDto {
  @ToInt()
  @IsInt({ message: 'Choose an expert.' })
  expert: number;

  @ToInt()
  @IsInt({ message: 'Choose your team.' })
  team: number;

  @IsString({ message: 'Choose one of the free times.' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, { message: 'Choose one of the free times.' })
  slot: string;

  @Trim()
  @IsString({ message: 'Write what you would like to talk about.' })
  @MinLength(1, { message: 'Write what you would like to talk about.' })
  @MaxLength(AGENDA_MAX, { message: `Keep the agenda under ${AGENDA_MAX} characters.` })
  agenda: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(500, { message: 'Keep the link under 500 characters.' })
  @Matches(/^https:\/\/[^\s<>"]+$/, { message: 'Enter a link starting with https://, e.g. https://meet.example.org/team-kenya.' })
  link?: string;
}
