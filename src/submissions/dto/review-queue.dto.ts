import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import { EmptyToUndefined, PageNumber, ToInt } from '../../common/form-fields';
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

  @PageNumber()
  page?: number;
}
