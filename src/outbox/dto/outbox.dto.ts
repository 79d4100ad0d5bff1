import { PageNumber } from '../../common/form-fields';

export class OutboxListQuery {
  @PageNumber()
  page?: number;
}
