import { MAX_ID } from '../common/ids';

/**
 * Whose submission it is: a team's (team tasks) or one person's (individual tasks). Written one
 * way everywhere: the stored key (`team:12`, `user:7`), the address segment (`team-12`,
 * `person-7`) and the page's URL.
 */
export interface Owner {
  teamId: number | null;
  userId: number | null;
}

export const teamOwner = (teamId: number): Owner => ({ teamId, userId: null });
export const personOwner = (userId: number): Owner => ({ teamId: null, userId });

/** The stored owner key (submissions.owner_key). */
export function ownerKey(o: Owner): string {
  return o.teamId ? `team:${o.teamId}` : `user:${o.userId}`;
}

/** The owner's segment of a submission page's address. */
export function ownerParam(o: Owner): string {
  return o.teamId ? `team-${o.teamId}` : `person-${o.userId}`;
}

/** An address segment back to an owner, or null for anything that is not one. */
export function parseOwner(param: string): Owner | null {
  const m = /^(team|person)-([1-9]\d{0,9})$/.exec(param);
  if (!m || Number(m[2]) > MAX_ID) return null;
  return m[1] === 'team' ? teamOwner(Number(m[2])) : personOwner(Number(m[2]));
}

/** The submission page of one owner's work on a task. */
export function submissionHref(courseId: number, taskId: number, o: Owner): string {
  return `/courses/${courseId}/tasks/${taskId}/submissions/${ownerParam(o)}`;
}

/** The keys of the work a person may hold in a course: their teams' and their own. */
export function ownerKeysOf(userId: number, teamIds: readonly number[]): string[] {
  return [...teamIds.map((t) => ownerKey(teamOwner(t))), ownerKey(personOwner(userId))];
}
