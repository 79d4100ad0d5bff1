import { ArrayMaxSize, ArrayNotEmpty, IsIn, IsString } from 'class-validator';
import { IsWallTime, ToArray, Trim } from '../../common/form-fields';

/** "Your working hours": when a working day starts and ends on the person's own clock, and which days are working days. */
export class WorkingHoursDto {
  @Trim()
  @IsString({ message: 'Enter the time your working day starts, e.g. 08:00.' })
  @IsWallTime({ message: 'Enter the time your working day starts as HH:MM, e.g. 08:00.' })
  start: string;

  @Trim()
  @IsString({ message: 'Enter the time your working day ends, e.g. 20:00.' })
  @IsWallTime({ message: 'Enter the time your working day ends as HH:MM, e.g. 20:00.' })
  end: string;

  /** ISO weekdays, "1" (Monday) to "7" (Sunday): the checkboxes ticked. */
  @ToArray()
  @ArrayNotEmpty({ message: 'Choose at least one working day.' })
  @ArrayMaxSize(7, { message: 'Choose your working days from the list.' })
  @IsIn(['1', '2', '3', '4', '5', '6', '7'], { each: true, message: 'Choose your working days from the list.' })
  days: string[] = [];
}
