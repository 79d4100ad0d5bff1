import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AppPassport } from './app-passport';

@Module({
  imports: [RateLimitModule, UsersModule],
  controllers: [AuthController, AccountController],
  providers: [AuthService, AppPassport],
  exports: [AuthService, AppPassport],
})
export class AuthModule {}
