import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EmptyToUndefined, ToInt } from '../../common/form-fields';
import { AWAITING_REVIEW, type AwaitingReviewStatus } from '../workflow';

/** The review queue's filter, from the address. */
export class QueueQuery {
  @ToInt()
  @IsOptional()
  @IsInt()
  course?: number;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(AWAITING_REVIEW)
  status?: AwaitingReviewStatus;

  @ToInt()
  @IsOptional()
  @IsInt()
  task?: number;

  @ToInt()
  @IsOptional()
  @IsInt()
  team?: number;

  @Transform(({ value }) => value === '1' || value === 'on')
  @IsOptional()
  late?: boolean;

  @ToInt()
  @IsOptional()
  @IsInt({ message: 'The page must be a number.' })
  @Min(1)
  @Max(100000)
  page?: number;
}
