import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { ResourcesModule } from '../resources/resources.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { HousekeepingService } from './housekeeping.service';

/** Housekeeping (top layer): asks each module that keeps files which ones its rows name. */
@Module({ imports: [RateLimitModule, ResourcesModule, SubmissionsModule], providers: [HousekeepingService], exports: [HousekeepingService] })
export class HousekeepingModule {}
