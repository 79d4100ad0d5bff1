import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { IdPipe, parseId } from '../common/ids';
import type { Request, Response } from 'express';
import { Allow } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { pageLinks } from '../common/pagination';
import { SITE_ROLES } from './user.entity';
import { ROLE_LABELS, toUserRow } from './user.view';
import { ChangeRoleDto, UserListQuery } from './dto/users.dto';
import { courseRoleSummary, courseRolesOnHold, UsersService } from './users.service';

const ROLE_OPTIONS = SITE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

@Controller('admin/users')
@Allow('users.manage')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Render('admin/users/index')
  async index(@Query() query: UserListQuery) {
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

  @Get(':id')
  @Render('admin/users/show')
  async show(@Param('id', IdPipe) id: number, @Req() req: Request) {
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
    return { title: user.name, nav: 'users', person: user, roles: ROLE_OPTIONS, values: { role: user.role }, isSelf: user.id === req.user!.id, courseRoles };
  }

  @Post(':id/role')
  @FormView('admin/users/show', 'showContext')
  async changeRole(@Param('id', IdPipe) id: number, @Body() form: ChangeRoleDto, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.changeRole(req.user!.id, id, form.role);
    const onHold = courseRolesOnHold(await this.users.courseRoleCounts(user.id), user.role);
    flash(req, 'success', `${user.name} is now ${ROLE_LABELS[user.role].toLowerCase()}.${onHold ? ` On hold until the role is restored: ${onHold}.` : ''}`);
    res.redirect(303, `/admin/users/${id}`);
  }

  @Post(':id/deactivate')
  @FormView('admin/users/show', 'showContext')
  async deactivate(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.deactivate(req.user!.id, id);
    flash(req, 'success', `${user.name} has been deactivated and signed out everywhere.`);
    res.redirect(303, `/admin/users/${id}`);
  }

  @Post(':id/reactivate')
  @FormView('admin/users/show', 'showContext')
  async reactivate(@Param('id', IdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const user = await this.users.reactivate(id);
    flash(req, 'success', `${user.name} can sign in again.`);
    res.redirect(303, `/admin/users/${id}`);
  }

  showContext(req: Request) {
    return this.show(parseId(req.params.id), req);
  }
}
