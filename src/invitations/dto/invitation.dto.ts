import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, ToInt, Trim } from '../../common/form-fields';
import { SITE_ROLES, type SiteRole } from '../../users/user.entity';

export class InviteDto {
  @Trim()
  @IsEmail({}, { message: 'Enter an e-mail address such as name@ministry.gov.' })
  @MaxLength(254, { message: 'An e-mail address has at most 254 characters.' })
  email: string;

  @IsIn(SITE_ROLES, { message: 'Choose a role.' })
  role: SiteRole;

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'Keep the message under 2,000 characters.' })
  message?: string;
}

export class InvitationListQuery {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['pending', 'expired', 'accepted', 'revoked'], { message: 'Unknown status.' })
  status?: 'pending' | 'expired' | 'accepted' | 'revoked';

  @ToInt()
  @IsOptional()
  @IsInt({ message: 'The page must be a number.' })
  @Min(1)
  @Max(100000)
  page?: number;
}
