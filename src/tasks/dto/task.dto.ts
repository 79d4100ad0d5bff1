import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { SNIFFED_LABELS } from '../../common/file-sniff';
import { EmptyToUndefined, IsIsoDate, IsWallTime, ToArray, ToInt, Trim } from '../../common/form-fields';
import { TASK_KINDS, type TaskKind } from '../task.entity';

/** A checkbox: present ("on") means true, absent means false. */
const Checkbox = () => Transform(({ value }) => value === 'on' || value === 'true' || value === true);

export class TaskDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Give the task a title, e.g. “Country context analysis”.' })
  @MaxLength(300)
  title: string;

  @ToInt()
  @IsInt({ message: 'Choose the phase the task belongs to.' })
  phaseId: number;

  @IsIn(TASK_KINDS, { message: 'Choose a team task or an individual task.' })
  kind: TaskKind;

  @IsString()
  @MaxLength(20000, { message: 'Keep the instructions under 20,000 characters.' })
  instructions: string;

  @IsIsoDate({ message: 'Enter the day the task opens.' })
  opensDay: string;

  @IsWallTime({ message: 'Enter the time it opens, e.g. 09:00.' })
  opensTime: string;

  @IsIsoDate({ message: 'Enter the due day.' })
  dueDay: string;

  @IsWallTime({ message: 'Enter the due time, e.g. 17:00.' })
  dueTime: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIsoDate({ message: 'Enter the cut-off day, or leave both cut-off fields empty.' })
  cutOffDay?: string;

  @EmptyToUndefined()
  @ValidateIf((o: TaskDto) => o.cutOffDay !== undefined)
  @IsWallTime({ message: 'Enter the cut-off time, e.g. 23:59.' })
  cutOffTime?: string;

  /** Unchecked boxes are not sent at all: absent means false. */
  @Checkbox()
  @IsBoolean()
  expectsText: boolean = false;

  @Checkbox()
  @IsBoolean()
  expectsFiles: boolean = false;

  @ToArray()
  @IsOptional()
  @IsIn(Object.keys(SNIFFED_LABELS), { each: true, message: 'Choose file types from the list.' })
  allowedTypes?: string[];

  @ToInt()
  @IsInt({ message: 'Enter how many files a submission may have, from 0 to 20.' })
  @Min(0, { message: 'Enter how many files a submission may have, from 0 to 20.' })
  @Max(20, { message: 'Enter how many files a submission may have, from 0 to 20.' })
  maxFiles: number;

  @IsString()
  @MaxLength(20000)
  rubric: string;

  @IsIn(['all', 'selected'], { message: 'Choose all teams or selected teams.' })
  audience: 'all' | 'selected';

  @ToArray()
  @IsOptional()
  @IsInt({ each: true, message: 'Choose teams from the list.' })
  @Transform(({ value }: { value: unknown }) => idsFromForm(value))
  teamIds?: number[];

  @ToArray()
  @IsOptional()
  @IsInt({ each: true, message: 'Choose resources from the list.' })
  @Transform(({ value }: { value: unknown }) => idsFromForm(value))
  resourceIds?: number[];
}

/** Chosen ids as numbers (anything else is left as sent, for the validator to refuse). */
function idsFromForm(value: unknown): unknown {
  return Array.isArray(value) ? value.map((v: unknown) => (/^\d+$/.test(String(v)) ? Number(v) : v)) : value;
}

export class EditTaskDto extends TaskDto {
  @ToInt()
  @IsInt()
  version: number;
}
