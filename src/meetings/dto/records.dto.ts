import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate, IsWallTime, ToArray, ToInt, Trim } from '../../common/form-fields';

export const NOTES_MAX = 20_000;
export const ACTION_MAX = 500;
export const TASK_TITLE_MAX = 300;

/** Attendance: the boxes ticked ("team-3", "user-12"); what is not ticked was absent. */
export class AttendanceDto {
  @ToArray()
  @IsString({ each: true })
  @Matches(/^(team|user)-[1-9]\d{0,9}$/, { each: true, message: 'Tick teams and people from the list.' })
  present: string[] = [];

  /** The meeting's version the form was opened on. */
  @ToInt()
  @IsInt()
  @Min(0)
  version: number;
}

/** The notes, saved as a draft (host and facilitators only) or final (everyone in the meeting). */
export class NotesDto {
  @IsString({ message: 'Write the notes.' })
  @MinLength(1, { message: 'Write the notes before saving them.' })
  @MaxLength(NOTES_MAX, { message: `Keep the notes under ${NOTES_MAX.toLocaleString('en')} characters.` })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? '' : value))
  notes: string;

  @IsIn(['draft', 'final'], { message: 'Save the notes as a draft or as final.' })
  status: 'draft' | 'final';

  @ToInt()
  @IsInt()
  @Min(0)
  version: number;
}

/** An action item agreed in the meeting, for one of its teams. */
export class ActionDto {
  @Trim()
  @IsString({ message: 'Write the action item.' })
  @MinLength(1, { message: 'Write the action item.' })
  @MaxLength(ACTION_MAX, { message: `Keep the action item under ${ACTION_MAX} characters.` })
  actionText: string;

  @ToInt()
  @IsInt({ message: 'Choose the team the action item is for.' })
  actionTeam: number;
}

/** Turning an action item into a task for its team: the title, the due time (venue's zone), draft or published. */
export class ActionTaskDto {
  @Trim()
  @IsString({ message: 'Give the task a title.' })
  @MinLength(1, { message: 'Give the task a title.' })
  @MaxLength(TASK_TITLE_MAX, { message: `Keep the title under ${TASK_TITLE_MAX} characters.` })
  title: string;

  @IsIsoDate({ message: 'Enter the due day.' })
  dueDay: string;

  @IsWallTime({ message: 'Enter the due time, e.g. 17:00.' })
  dueTime: string;

  /** A checkbox: ticked publishes the task at once; otherwise it is a draft. */
  @Transform(({ value }: { value: unknown }) => value === 'on' || value === 'true' || value === true)
  @IsBoolean()
  publish: boolean = false;
}
