import { FormInvalidError } from '../common/errors';

/*
 * State conflicts on a team's page. They are form errors (422, the page again with the message
 * beside the field), named so that the rule they stand for reads in the service.
 */

/** The person is already a member of this team. */
export class AlreadyInTeamError extends FormInvalidError {
  constructor(name: string) {
    super({ email: [`${name} is already in this team.`] });
  }
}

/** The team already has a leader (a team has one). */
export class TeamHasLeaderError extends FormInvalidError {
  constructor(leaderName: string) {
    super({ teamRole: [`${leaderName} already leads this team. Make them a member first; a team has one leader.`] });
  }
}

/** The expert is already assigned to this team. */
export class AlreadyAdvisesTeamError extends FormInvalidError {
  constructor(name: string) {
    super({ userId: [`${name} already advises this team.`] });
  }
}
