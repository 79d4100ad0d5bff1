import { countryName, regionLabel } from '../common/countries';
import { DELIVERABLES, type Team } from './team.entity';
import type { Level, Position, TeamRole } from './team-member.entity';

/** The team vocabulary other modules' forms offer (without reaching into the entity). */
export { LEVELS, POSITIONS, TEAM_ROLES, type Level, type Position, type TeamRole } from './team-member.entity';

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = { leader: 'Team leader', member: 'Member' };
export const POSITION_LABELS: Record<Position, string> = { policymaker: 'Policymaker', researcher: 'Researcher', other: 'Other' };
export const LEVEL_LABELS: Record<Level, string> = { national: 'National', municipal: 'Municipal' };

export function teamName(t: Pick<Team, 'country' | 'city'>): string {
  return t.city ? `${countryName(t.country)} — ${t.city}` : countryName(t.country);
}

export function toTeamView(t: Team) {
  return {
    id: t.id,
    courseId: t.courseId,
    name: teamName(t),
    country: t.country,
    countryName: countryName(t.country),
    city: t.city,
    region: t.region,
    regionLabel: regionLabel(t.region),
    deliverable: t.deliverable,
    deliverableLabel: DELIVERABLES.find((d) => d.value === t.deliverable)?.label ?? t.deliverable,
    timeZone: t.timeZone,
  };
}
export type TeamView = ReturnType<typeof toTeamView>;
