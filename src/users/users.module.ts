import { Module } from '@nestjs/common';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersPages } from './admin-users.page';
import { UsersService } from './users.service';

/** People with an account: the administrators' People pages and the exported UsersService. */
@Module({ controllers: [AdminUsersController], providers: [UsersService, AdminUsersPages], exports: [UsersService] })
export class UsersModule {}
