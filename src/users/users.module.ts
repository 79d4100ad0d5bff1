import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccountController } from './account.controller';
import { AdminUsersController } from './admin-users.controller';

@Module({ imports: [AuthModule], controllers: [AdminUsersController, AccountController] })
export class UsersModule {}
