import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EmptyToUndefined, Trim } from '../../common/form-fields';
import { LEVELS, POSITIONS, TEAM_ROLES, type Level, type Position, type TeamRole } from '../../teams/team.view';

/** Adding a person to a team from its page: an account joins at once, anyone else is invited. */
export class MemberDto {
  @Trim()
  @IsEmail({}, { message: 'Enter the person’s e-mail address, e.g. name@ministry.gov.' })
  @MaxLength(254)
  email: string;

  @IsIn(TEAM_ROLES, { message: 'Choose leader or member.' })
  teamRole: TeamRole;

  @IsIn(POSITIONS, { message: 'Choose a position.' })
  position: Position;

  @IsIn(LEVELS, { message: 'Choose national or municipal.' })
  level: Level;

  @Trim()
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;

  /** The facilitator allows this person into a second team of the workshop (unchecked: absent). */
  @Transform(({ value }) => value === 'on' || value === true)
  @IsBoolean()
  allowOtherTeam: boolean = false;
}
