import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { IdPipe, parseId } from '../common/ids';
import { ChangeRoleDto, UserListQuery } from './dto/users.dto';
import { AdminUsersPages } from './admin-users.page';
import { ROLE_LABELS } from './user.view';
import { UsersService } from './users.service';

@Controller('admin/users')
@Allow('users.manage')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly pages: AdminUsersPages,
  ) {}

  @Get()
  @Render('admin/users/index')
  index(@Query() query: UserListQuery) {
    return this.pages.index(query);
  }

  @Get(':id')
  @Render('admin/users/show')
  show(@Param('id', IdPipe) id: number, @Req() req: Request) {
    return this.pages.show(id, req.user!);
  }

  @Post(':id/role')
  @FormView('admin/users/show', 'showContext')
  async changeRole(@Param('id', IdPipe) id: number, @Body() form: ChangeRoleDto, @Req() req: Request, @Res() res: Response) {
    const { user, onHold } = await this.users.changeRole(req.user!.id, id, form.role);
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
    const user = await this.users.reactivate(req.user!.id, id);
    flash(req, 'success', `${user.name} can sign in again.`);
    res.redirect(303, `/admin/users/${id}`);
  }

  showContext(req: Request) {
    return this.pages.show(parseId(req.params.id), req.user!);
  }
}
