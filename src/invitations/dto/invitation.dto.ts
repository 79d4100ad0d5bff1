import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NewPasswordDto } from '../../auth/dto/auth.dto';
import { EmptyToUndefined, PageNumber, Trim } from '../../common/form-fields';
import { IsTimeZone } from '../../common/is-time-zone';
import { SITE_ROLES, type SiteRole } from '../../common/roles';
import { LANGUAGE_CODES } from '../../users/user.view';

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

  @PageNumber()
  page?: number;
}

export class AcceptInvitationDto extends NewPasswordDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter your name as colleagues should see it.' })
  @MaxLength(200, { message: 'Use at most 200 characters.' })
  name: string;

  @IsString()
  @IsTimeZone({ message: 'Choose your time zone from the list.' })
  timeZone: string;

  @IsString()
  @IsIn(LANGUAGE_CODES, { message: 'Choose a language from the list.' })
  language: string;
}
