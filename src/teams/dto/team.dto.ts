import { IsEmail, IsIn, IsInt, IsString, MaxLength } from 'class-validator';
import { REGION_VALUES } from '../../common/countries';
import { ToInt, Trim } from '../../common/form-fields';
import { IsTimeZone } from '../../common/is-time-zone';
import { IsCountry } from '../../courses/dto/course.dto';
import { DELIVERABLE_VALUES, type Deliverable } from '../team.entity';
import { LEVELS, POSITIONS, TEAM_ROLES, type Level, type Position, type TeamRole } from '../team-member.entity';

export class TeamDto {
  @IsCountry({ message: 'Choose the Member State from the list.' })
  country: string;

  @Trim()
  @IsString()
  @MaxLength(200, { message: 'Use at most 200 characters.' })
  city: string;

  @IsIn(REGION_VALUES, { message: 'Choose a region from the list.' })
  region: string;

  @IsIn(DELIVERABLE_VALUES, { message: 'Choose what the team develops.' })
  deliverable: Deliverable;

  @IsTimeZone({ message: 'Choose the time zone the team works in from the list.' })
  timeZone: string;
}

export class MemberChangeDto {
  @IsIn(TEAM_ROLES, { message: 'Choose leader or member.' })
  teamRole: TeamRole;

  @IsIn(POSITIONS, { message: 'Choose a position.' })
  position: Position;

  @IsIn(LEVELS, { message: 'Choose national or municipal.' })
  level: Level;
}

export class ExpertAssignDto {
  @ToInt()
  @IsInt({ message: 'Choose an expert from the list.' })
  userId: number;
}

export class StaffDto {
  @Trim()
  @IsEmail({}, { message: 'Enter the person’s e-mail address.' })
  @MaxLength(254)
  email: string;

  @IsIn(['facilitator', 'expert'], { message: 'Choose facilitator or expert.' })
  role: 'facilitator' | 'expert';
}
