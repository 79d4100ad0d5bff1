import { Injectable } from '@nestjs/common';
import { pageLinks } from '../common/pagination';
import { SITE_ROLES } from '../common/roles';
import type { UserListQuery } from './dto/users.dto';
import { ROLE_LABELS, type SessionUser, toUserRow } from './user.view';
import { courseRoleSummary, courseRolesOnHold, UsersService } from './users.service';

const ROLE_OPTIONS = SITE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/** The administrators' People pages (the list and one person), assembled for their templates. */
@Injectable()
export class AdminUsersPages {
  constructor(private readonly users: UsersService) {}

  async index(query: UserListQuery) {
    const list = await this.users.list(query);
    return {
      title: 'People',
      nav: 'users',
      values: query,
      roles: ROLE_OPTIONS,
      users: list.rows,
      total: list.total,
      filtered: Boolean(query.q || query.role || query.status),
      pagination: pageLinks('/admin/users', { q: query.q, role: query.role, status: query.status }, list.page, list.pages),
    };
  }

  async show(id: number, me: SessionUser) {
    const user = toUserRow(await this.users.findOrFail(id));
    const counts = await this.users.courseRoleCounts(user.id);
    const summary = courseRoleSummary(counts);
    // Course roles need a matching site role: say what the current one and each other one put on hold.
    const courseRoles = summary && {
      summary: `${user.name} ${summary}.`,
      onHoldNow: courseRolesOnHold(counts, user.role),
      effects: SITE_ROLES.filter((r) => r !== user.role)
        .map((r) => ({ role: r, lost: courseRolesOnHold(counts, r) }))
        .filter((e) => e.lost)
        .map((e) => `As ${withArticle(ROLE_LABELS[e.role].toLowerCase())}, ${user.name} would lose ${e.lost}.`),
    };
    return { title: user.name, nav: 'users', person: user, roles: ROLE_OPTIONS, values: { role: user.role }, isSelf: user.id === me.id, courseRoles };
  }
}
