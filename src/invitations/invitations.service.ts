import { Inject, Injectable } from '@nestjs/common';
import { Brackets, IsNull, type Repository, type SelectQueryBuilder } from 'typeorm';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { hashToken, looksLikeToken, newToken } from '../auth/tokens';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { findOrFail, FormInvalidError, NotFoundError } from '../common/errors';
import { holdsCourseRole, mayGrant } from '../common/permissions';
import type { SiteRole } from '../common/roles';
import { formatInstant } from '../common/time';
import type { CourseManager } from '../courses/course-access.service';
import { CourseStaffService } from '../courses/course-staff.service';
import { Database } from '../database/database.service';
import { EventsService } from '../events/events.service';
import { composeMail } from '../mail/compose';
import { type NewMail, OutboxService } from '../outbox/outbox.service';
import { TEAM_ROLE_LABELS, teamName, type Level, type Position, type TeamRole } from '../teams/team.view';
import { type NewTeamMember, type TeamPlace, TeamsService } from '../teams/teams.service';
import { ROLE_LABELS, type SessionUser } from '../users/user.view';
import { normalizeEmail, UsersService } from '../users/users.service';
import { Invitation } from './invitation.entity';
import {
  AccountAlreadyExistsError,
  InvitationAcceptedCannotBeWithdrawnError,
  InvitationAlreadyAcceptedError,
  InvitationClosedError,
  InvitationExpiredError,
  InvitationWithdrawnError,
} from './invitations.errors';

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked';
export const INVITATIONS_PAGE_SIZE = 25;

export function invitationStatus(inv: Invitation, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  return inv.expiresAt <= now ? 'expired' : 'pending';
}

export interface InvitationRowView {
  id: number;
  email: string;
  role: SiteRole;
  roleLabel: string;
  status: InvitationStatus;
  invitedBy: string | null;
  createdAt: Date;
  lastSentAt: Date;
  expiresAt: Date;
  sendCount: number;
  acceptedAt: Date | null;
  canManage: boolean;
  /** What the invitation is for beyond the site role: a team of a workshop, or nothing more. */
  forTeam: { team: string; teamRole: string; course: string; courseId: number } | null;
}

@Injectable()
export class InvitationsService {
  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly teams: TeamsService,
    private readonly staff: CourseStaffService,
    private readonly events: EventsService,
  ) {}

  /**
   * Adds a person to a team from its page: an existing account joins at once (the teams module's
   * rules); anyone else receives an invitation that makes them a member when they accept it.
   */
  async addToTeam(m: CourseManager, teamId: number, dto: NewTeamMember & { message?: string }): Promise<{ joined: boolean; name: string; email: string }> {
    const team = await this.teams.team(m, teamId);
    const email = normalizeEmail(dto.email);
    if (await this.users.findByEmail(email)) {
      const joined = await this.teams.addMember(m, team.id, dto);
      return { joined: true, name: joined.name, email };
    }
    await this.invite(m.user, {
      email,
      role: 'participant',
      message: dto.message,
      team: {
        teamId: team.id,
        courseId: m.course.id,
        teamRole: dto.teamRole,
        position: dto.position,
        level: dto.level,
        label: `${teamName(team)} team in “${m.course.title}”`,
      },
    });
    return { joined: false, name: email, email };
  }

  async invite(
    actor: SessionUser,
    input: {
      email: string;
      role: SiteRole;
      message?: string | null;
      team?: { teamId: number; courseId: number; teamRole: TeamRole; position: Position; level: Level; label: string };
    },
  ): Promise<Invitation> {
    const email = normalizeEmail(input.email);
    if (!mayGrant(actor.role, input.role)) throw FormInvalidError.field('role', `You cannot invite someone as ${ROLE_LABELS[input.role] ?? input.role}.`);
    const { token, hash } = newToken();
    const now = new Date();
    const invitation = await this.db.tx(async (em) => {
      if (await this.users.findByEmail(email)) {
        throw FormInvalidError.field('email', 'This person already has an Atelier account.');
      }
      const open = await em.getRepository(Invitation).findBy({ email, acceptedAt: IsNull(), revokedAt: IsNull() });
      if (open.some((i) => i.expiresAt > now)) {
        throw FormInvalidError.field('email', 'This address already has a pending invitation. Resend it from the list below instead.');
      }
      const saved = await em.getRepository(Invitation).save(
        em.getRepository(Invitation).create({
          email,
          role: input.role,
          tokenHash: hash,
          message: input.message?.trim() || null,
          invitedById: actor.id,
          createdAt: now,
          lastSentAt: now,
          expiresAt: this.expiry(now),
          sendCount: 1,
          acceptedAt: null,
          acceptedUserId: null,
          revokedAt: null,
          teamId: input.team?.teamId ?? null,
          teamRole: input.team?.teamRole ?? null,
          teamPosition: input.team?.position ?? null,
          teamLevel: input.team?.level ?? null,
        }),
      );
      await this.events.record(em, {
        kind: 'invitation.sent',
        actorId: actor.id,
        courseId: input.team?.courseId ?? null,
        subject: { type: 'invitation', id: saved.id },
        payload: { role: saved.role, teamId: saved.teamId, sendCount: 1 },
      });
      // The e-mail is queued with the invitation: both exist, or neither (the worker sends it).
      await this.outbox.enqueue(em, this.invitationMail(saved, token, actor.name, input.team?.label, input.team?.courseId ?? null));
      return saved;
    });
    return invitation;
  }

  /** A new link (the old one stops working), a new expiry, and the e-mail again. */
  async resend(actor: SessionUser, id: number): Promise<Invitation> {
    const { token, hash } = newToken();
    const now = new Date();
    return this.db.tx(async (em) => {
      const inv = await this.manageable(em.getRepository(Invitation), actor, id);
      const status = invitationStatus(inv, now);
      if (status === 'accepted' || status === 'revoked') throw new InvitationClosedError(status);
      Object.assign(inv, { tokenHash: hash, lastSentAt: now, expiresAt: this.expiry(now), sendCount: inv.sendCount + 1 });
      const saved = await em.getRepository(Invitation).save(inv);
      const courseId = await this.courseOfTeam(saved.teamId);
      await this.events.record(em, {
        kind: 'invitation.sent',
        actorId: actor.id,
        courseId,
        subject: { type: 'invitation', id: saved.id },
        payload: { role: saved.role, teamId: saved.teamId, sendCount: saved.sendCount },
      });
      await this.outbox.enqueue(em, this.invitationMail(saved, token, actor.name, await this.teamLabel(saved.teamId), courseId));
      return saved;
    });
  }

  async revoke(actor: SessionUser, id: number): Promise<Invitation> {
    return this.db.tx(async (em) => {
      const inv = await this.manageable(em.getRepository(Invitation), actor, id);
      if (inv.acceptedAt) throw new InvitationAcceptedCannotBeWithdrawnError();
      if (inv.revokedAt) return inv; // withdrawn already: nothing changes, nothing to record
      inv.revokedAt = new Date();
      const saved = await em.getRepository(Invitation).save(inv);
      await this.events.record(em, {
        kind: 'invitation.withdrawn',
        actorId: actor.id,
        courseId: await this.courseOfTeam(saved.teamId),
        subject: { type: 'invitation', id: saved.id },
        payload: {},
      });
      return saved;
    });
  }

  async list(actor: SessionUser, filter: { status?: InvitationStatus; page?: number }) {
    const now = new Date();
    const qb = await this.visibleTo(this.db.repo(Invitation).createQueryBuilder('i'), actor);
    switch (filter.status) {
      case 'accepted':
        qb.andWhere('i.accepted_at IS NOT NULL');
        break;
      case 'revoked':
        qb.andWhere('i.revoked_at IS NOT NULL AND i.accepted_at IS NULL');
        break;
      case 'expired':
        qb.andWhere('i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= :now', { now });
        break;
      case 'pending':
        qb.andWhere('i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > :now', { now });
        break;
      default:
        qb.andWhere('i.accepted_at IS NULL AND i.revoked_at IS NULL');
    }
    const total = await qb.getCount();
    const pages = Math.max(1, Math.ceil(total / INVITATIONS_PAGE_SIZE));
    const page = Math.min(Math.max(1, filter.page ?? 1), pages);
    const rows = await qb
      .orderBy('i.last_sent_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .offset((page - 1) * INVITATIONS_PAGE_SIZE)
      .limit(INVITATIONS_PAGE_SIZE)
      .getMany();
    const [places, inviters] = await Promise.all([
      this.teams.invitationTargets(rows.flatMap((i) => (i.teamId ? [i.teamId] : []))),
      this.users.people(rows.flatMap((i) => (i.invitedById ? [i.invitedById] : []))),
    ]);
    return { rows: rows.map((i) => this.toRow(i, places.get(i.teamId ?? 0), inviters.get(i.invitedById ?? 0)?.name ?? null, actor, now)), total, page, pages };
  }

  /** The invitation behind a link, if it may still be accepted; otherwise a page that says why. */
  async usable(token: string): Promise<Invitation> {
    const inv = findOrFail(
      looksLikeToken(token) ? await this.db.repo(Invitation).findOneBy({ tokenHash: hashToken(token) }) : null,
      'This invitation link is not valid. Check that you copied the whole link from the e-mail, or ask for a new invitation.',
    );
    const status = invitationStatus(inv);
    if (status === 'accepted') throw new InvitationAlreadyAcceptedError();
    if (status === 'revoked') throw new InvitationWithdrawnError();
    if (status === 'expired') throw new InvitationExpiredError(inv.expiresAt);
    return inv;
  }

  /** A usable invitation and, when it is into a team, where it leads (for the accept page). */
  async usableWithPlace(token: string): Promise<{ inv: Invitation; place: TeamPlace | null; inviter: string | null }> {
    const inv = await this.usable(token);
    const place = inv.teamId ? ((await this.teams.invitationTargets([inv.teamId])).get(inv.teamId) ?? null) : null;
    const inviter = inv.invitedById ? ((await this.users.findById(inv.invitedById))?.name ?? null) : null;
    return { inv, place, inviter };
  }

  /** Creates the account and uses up the invitation, in one transaction. */
  async accept(token: string, input: { name: string; timeZone: string; language: string; password: string }) {
    const inv = await this.usable(token);
    const problem = passwordProblem(input.password, { email: inv.email, name: input.name });
    if (problem) throw FormInvalidError.field('password', problem);
    const passwordHash = await hashPassword(input.password);
    const courseId = await this.courseOfTeam(inv.teamId);
    return this.db.tx(async (em) => {
      const fresh = await em.getRepository(Invitation).findOneBy({ id: inv.id });
      if (!fresh || invitationStatus(fresh) !== 'pending' || fresh.tokenHash !== inv.tokenHash) await this.usable(token);
      if (await this.users.findByEmail(inv.email)) throw new AccountAlreadyExistsError();
      // The account, the used-up invitation and the team place: one transaction (the others' tx() join it).
      const user = await this.users.create({
        email: inv.email,
        name: input.name.trim(),
        passwordHash,
        timeZone: input.timeZone,
        language: input.language,
        role: inv.role,
      });
      await em.getRepository(Invitation).update({ id: inv.id }, { acceptedAt: new Date(), acceptedUserId: user.id });
      // Invited from a team page: join the team (as member if someone became leader meanwhile).
      if (inv.teamId) await this.teams.joinByInvitation(inv.teamId, user.id, { teamRole: inv.teamRole, position: inv.teamPosition, level: inv.teamLevel });
      await this.events.record(em, {
        kind: 'invitation.accepted',
        actorId: user.id,
        courseId,
        subject: { type: 'invitation', id: inv.id },
        payload: { userId: user.id, teamId: inv.teamId },
      });
      return user;
    });
  }

  /** The course of the team an invitation is for (null for a site-only invitation, or a team since deleted). */
  private async courseOfTeam(teamId: number | null): Promise<number | null> {
    return teamId ? ((await this.teams.invitationTargets([teamId])).get(teamId)?.courseId ?? null) : null;
  }

  private teamLabel(teamId: number | null): Promise<string | undefined> {
    return this.teams.inviteLabel(teamId);
  }

  /**
   * The invitations a person sees and acts on: administrators all of them; facilitators those they
   * sent themselves and those into teams of the courses they manage. Anything else answers 404.
   */
  private async visibleTo(qb: SelectQueryBuilder<Invitation>, actor: SessionUser): Promise<SelectQueryBuilder<Invitation>> {
    if (actor.role === 'admin') return qb;
    const managedTeams = holdsCourseRole(actor.role, 'facilitator') ? await this.teams.idsInCourses(await this.staff.facilitatedCourseIds(actor.id)) : [];
    return qb.where(
      new Brackets((w) => {
        w.where('i.invited_by_id = :me', { me: actor.id });
        if (managedTeams.length) w.orWhere('i.team_id IN (:...managedTeams)', { managedTeams });
      }),
    );
  }

  private async manageable(repo: Repository<Invitation>, actor: SessionUser, id: number): Promise<Invitation> {
    const inv = Number.isSafeInteger(id) ? await (await this.visibleTo(repo.createQueryBuilder('i'), actor)).andWhere('i.id = :id', { id }).getOne() : null;
    if (!inv || !mayGrant(actor.role, inv.role)) throw new NotFoundError();
    return inv;
  }

  private toRow(i: Invitation, place: TeamPlace | undefined, invitedBy: string | null, actor: SessionUser, now: Date): InvitationRowView {
    return {
      id: i.id,
      email: i.email,
      role: i.role,
      roleLabel: ROLE_LABELS[i.role],
      status: invitationStatus(i, now),
      invitedBy,
      createdAt: i.createdAt,
      lastSentAt: i.lastSentAt,
      expiresAt: i.expiresAt,
      sendCount: i.sendCount,
      acceptedAt: i.acceptedAt,
      canManage: mayGrant(actor.role, i.role),
      forTeam: place ? { team: place.name, teamRole: TEAM_ROLE_LABELS[i.teamRole ?? 'member'], course: place.course.title, courseId: place.courseId } : null,
    };
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.invitationTtlDays * 24 * 3600 * 1000);
  }

  /** The invitation e-mail (its link carries the token; only the outbox row holds it, never a page or log). */
  private invitationMail(inv: Invitation, token: string, inviterName: string, teamLabel: string | undefined, courseId: number | null): NewMail {
    const link = `${this.config.publicBaseUrl}/invite/${token}`;
    const mail = composeMail({
      subject: 'You are invited to Atelier',
      lines: [
        'Hello,',
        `${inviterName} has invited you to Atelier, the learning hub for blended capacity-building workshops, as ${ROLE_LABELS[inv.role].toLowerCase()}.`,
        ...(teamLabel ? [`You will join the ${teamLabel}.`] : []),
        ...(inv.message ? [`Their message:\n${inv.message}`] : []),
        'To accept, open the link below and choose your name, time zone and password.',
        `The link works once and expires on ${formatInstant(inv.expiresAt, 'UTC')}. If you were not expecting this invitation, you can ignore this e-mail.`,
      ],
      action: { label: 'Accept the invitation', url: link },
    });
    return { kind: 'invitation', to: inv.email, userId: null, courseId, ...mail };
  }

  // Read API for the course report

  /**
   * How many invitations into these teams were sent (not withdrawn) and how many of them were
   * accepted: the course report's participation (one query).
   */
  async countsForTeams(teamIds: readonly number[]): Promise<{ invited: number; accepted: number }> {
    if (!teamIds.length) return { invited: 0, accepted: 0 };
    const [row] = await this.db.rows<{ invited: number | string; accepted: number | string | null }>`
      SELECT COUNT(*) AS "invited", SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS "accepted"
      FROM invitations WHERE team_id IN ${[...teamIds]} AND revoked_at IS NULL`;
    return { invited: Number(row?.invited ?? 0), accepted: Number(row?.accepted ?? 0) };
  }
}
