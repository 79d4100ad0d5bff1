import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AppPassport } from './app-passport';

@Module({
  imports: [RateLimitModule],
  controllers: [AuthController],
  providers: [AuthService, AppPassport],
  exports: [AuthService, AppPassport],
})
export class AuthModule {}
