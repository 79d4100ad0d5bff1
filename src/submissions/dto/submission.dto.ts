import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { EmptyToUndefined, IsIsoDate, IsWallTime, ToArray, ToInt, Trim } from '../../common/form-fields';

/** The forms of a submission page: draft, submit, review, extension, reopen, sharing, messages. */

export class DraftDto {
  /** Browsers send a text area's line breaks as CRLF, scripts as LF: stored as LF either way. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value))
  @IsString()
  @MaxLength(200000, { message: 'The text is longer than 200,000 characters. Attach long documents as files.' })
  text: string;

  @ToInt()
  @IsInt()
  revision: number;

  /** Which button was pressed: save, preview without saving, or submit the text as the next version. */
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['save', 'preview', 'submit'])
  action?: 'save' | 'preview' | 'submit';

  /** The note for the reviewers, sent by the leader's form (used when submitting). */
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'Keep the note under 2,000 characters.' })
  note?: string;
}

export class SubmitDto {
  @Trim()
  @IsString()
  @MaxLength(2000, { message: 'Keep the note under 2,000 characters.' })
  note: string;

  @ToInt()
  @IsInt()
  revision: number;
}

export class ReviewDto {
  @IsString()
  @MaxLength(20000)
  overall: string;

  @IsIn(['accept', 'changes'], { message: 'Choose accept or request changes.' })
  decision: 'accept' | 'changes';

  @IsIn(['draft', 'release'])
  action: 'draft' | 'release';

  /** One entry per rubric criterion, in order (a <select name="levels"> each). */
  @ToArray()
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  levels?: string[];

  @ToArray()
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(5000, { each: true, message: 'Keep each criterion comment under 5,000 characters.' })
  comments?: string[];

  @ToInt()
  @IsInt()
  versionNumber: number;
}

export class ExtensionDto {
  @IsIsoDate({ message: 'Enter the new due day.' })
  dueDay: string;

  @IsWallTime({ message: 'Enter the new due time.' })
  dueTime: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIsoDate({ message: 'Enter the new cut-off day, or leave it empty.' })
  cutOffDay?: string;

  @EmptyToUndefined()
  @ValidateIf((o: ExtensionDto) => o.cutOffDay !== undefined)
  @IsWallTime({ message: 'Enter the new cut-off time.' })
  cutOffTime?: string;
}

export class ShareDto {
  @IsIn(['1', '0'])
  shared: '1' | '0';
}

export class MessageDto {
  @IsString()
  @MaxLength(10000, { message: 'Keep a message under 10,000 characters.' })
  body: string;
}

export class ReopenDto {
  @IsString()
  @MaxLength(2000)
  note: string;
}
