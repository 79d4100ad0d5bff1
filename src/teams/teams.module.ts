import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { UsersModule } from '../users/users.module';
import { TeamsController } from './teams.controller';
import { TeamsPages } from './teams.page';
import { TeamsService } from './teams.service';

/**
 * Country teams of a course: members (one leader), assigned experts, the course's people pages.
 * Pending invitations on the team page come through the TeamInvitations port (the invitations
 * module provides it).
 */
@Module({ imports: [CoursesModule, UsersModule], controllers: [TeamsController], providers: [TeamsService, TeamsPages], exports: [TeamsService, TeamsPages] })
export class TeamsModule {}
