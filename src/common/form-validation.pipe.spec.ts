import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EmptyToUndefined, ToInt } from './form-fields';
import { FormInvalidError } from './errors';
import { FormValidationPipe } from './form-validation.pipe';

class ListQuery {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: string;

  @ToInt()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  page?: number;
}

class Form {
  @IsIn(['a', 'b'])
  choice: string;
}

describe('FormValidationPipe', () => {
  const pipe = new FormValidationPipe();

  it.each([
    [{ status: 'zzz', page: '2' }, { page: 2 }],
    [{ status: 'open', page: 'abc' }, { status: 'open' }],
    [{ status: ['open', 'closed'], page: '-1', utm: 'x' }, {}],
    [
      { status: 'closed', page: '3' },
      { status: 'closed', page: 3 },
    ],
  ])('a query string %j keeps only the values that pass: %j', async (query, kept) => {
    const out = await pipe.transform(query, { type: 'query', metatype: ListQuery });
    expect({ ...out }).toEqual(kept);
  });

  it('a form body is still refused with messages', async () => {
    await expect(pipe.transform({ choice: 'c' }, { type: 'body', metatype: Form })).rejects.toBeInstanceOf(FormInvalidError);
  });
});
