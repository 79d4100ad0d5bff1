import { IsIn, IsOptional } from 'class-validator';

export class TaskStatusDto {
  @IsIn(['draft', 'published'])
  status: 'draft' | 'published';

  /** Taking a published task back to draft needs the confirmation page's button. */
  @IsOptional()
  @IsIn(['yes'])
  confirm?: 'yes';
}

export class MoveDto {
  @IsIn(['up', 'down'])
  direction: 'up' | 'down';
}
