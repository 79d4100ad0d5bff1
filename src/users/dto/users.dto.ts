import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EmptyToUndefined, PageNumber, Trim } from '../../common/form-fields';
import { SITE_ROLES, type SiteRole } from '../../common/roles';

export class UserListQuery {
  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'Search for at most 200 characters.' })
  q?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(SITE_ROLES, { message: 'Unknown role.' })
  role?: SiteRole;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['active', 'inactive'], { message: 'Unknown status.' })
  status?: 'active' | 'inactive';

  @PageNumber()
  page?: number;
}

export class ChangeRoleDto {
  @IsIn(SITE_ROLES, { message: 'Choose a role.' })
  role: SiteRole;
}
