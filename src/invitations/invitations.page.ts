import { Injectable } from '@nestjs/common';
import { PASSWORD_MIN } from '../auth/passwords';
import { pageLinks } from '../common/pagination';
import { GRANTABLE_ROLES } from '../common/permissions';
import { timeZonePicker } from '../common/time';
import { formatDateRange } from '../common/zoned-time';
import { TEAM_ROLE_LABELS } from '../teams/team.view';
import { LANGUAGES, ROLE_LABELS, type SessionUser } from '../users/user.view';
import type { InvitationListQuery } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

const STATUS_FILTERS = [
  { value: '', label: 'Open (pending and expired)' },
  { value: 'pending', label: 'Pending' },
  { value: 'expired', label: 'Expired' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'revoked', label: 'Withdrawn' },
];

/** The Invitations list and the accept page, assembled for their templates. */
@Injectable()
export class InvitationsPages {
  constructor(private readonly invitations: InvitationsService) {}

  async index(me: SessionUser, q: InvitationListQuery) {
    const list = await this.invitations.list(me, q);
    const grantable = GRANTABLE_ROLES[me.role].map((r) => ({ value: r, label: ROLE_LABELS[r] }));
    return {
      title: 'Invitations',
      nav: 'invitations',
      grantable,
      values: { role: 'participant' },
      statusFilters: STATUS_FILTERS.map((s) => ({ ...s, selected: (q.status ?? '') === s.value })),
      invitations: list.rows,
      total: list.total,
      pagination: pageLinks('/invitations', { status: q.status }, list.page, list.pages),
    };
  }

  /** The accept page of a usable link (a page that says why, for any other). */
  async accept(token: string, signedIn: SessionUser | undefined) {
    const { inv, place: team, inviter } = await this.invitations.usableWithPlace(token);
    return {
      title: 'Accept your invitation',
      layout: 'layouts/bare',
      token,
      email: inv.email,
      roleLabel: ROLE_LABELS[inv.role],
      // Invited into a team: which workshop, which team, which role in it, and when it runs.
      joining: team
        ? {
            team: team.name,
            teamRole: TEAM_ROLE_LABELS[inv.teamRole ?? 'member'].toLowerCase(),
            isLeader: inv.teamRole === 'leader',
            course: team.course.title,
            dates: formatDateRange(team.course.startsOn, team.course.endsOn),
            published: team.course.status === 'published',
          }
        : null,
      inviter,
      message: inv.message,
      passwordMin: PASSWORD_MIN,
      signedInAs: signedIn && signedIn.email !== inv.email ? signedIn.email : null,
      values: { language: 'en', timeZone: '' },
      timeZones: timeZonePicker(team ? [team.timeZone, team.course.timeZone] : []),
      languages: LANGUAGES,
    };
  }
}
