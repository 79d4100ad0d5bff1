import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from '../../common/form-fields';

export class OutboxListQuery {
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'The page must be a number.' })
  @Min(1)
  @Max(100000)
  page?: number;
}
