import { IsString } from 'class-validator';
import { IsWallTime, Trim } from '../../common/form-fields';

/** "Your working hours": when a working day starts and ends on the person's own clock. */
export class WorkingHoursDto {
  @Trim()
  @IsString({ message: 'Enter the time your working day starts, e.g. 08:00.' })
  @IsWallTime({ message: 'Enter the time your working day starts as HH:MM, e.g. 08:00.' })
  start: string;

  @Trim()
  @IsString({ message: 'Enter the time your working day ends, e.g. 20:00.' })
  @IsWallTime({ message: 'Enter the time your working day ends as HH:MM, e.g. 20:00.' })
  end: string;
}
