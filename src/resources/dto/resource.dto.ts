import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { EmptyToUndefined, PageNumber, ToInt, Trim } from '../../common/form-fields';
import { RESOURCE_KINDS, type ResourceKind } from '../resource.entity';

export class ResourceDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Give the resource a title.' })
  @MaxLength(300)
  title: string;

  @IsIn(RESOURCE_KINDS.map((k) => k.value), { message: 'Choose the kind of resource.' })
  kind: ResourceKind;

  @Trim()
  @IsString()
  @MaxLength(5000, { message: 'Keep the description under 5,000 characters.' })
  description: string;

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'Enter the full address, starting with https://' })
  @MaxLength(1000)
  url?: string;

  @ToInt()
  @IsOptional()
  @IsInt({ message: 'Choose a phase from the list.' })
  phaseId?: number;

  @Trim()
  @IsString()
  @MaxLength(500, { message: 'Use at most 500 characters for tags.' })
  tags: string;
}

export class ResourceQuery {
  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(60)
  tag?: string;

  @ToInt()
  @IsOptional()
  @IsInt()
  phase?: number;

  @PageNumber()
  page?: number;
}
