import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { TeamsController } from './teams.controller';
import { TeamsService } from './teams.service';

/** Country teams of a course: members (one leader), assigned experts, the course's people pages. */
@Module({ imports: [CoursesModule, InvitationsModule], controllers: [TeamsController], providers: [TeamsService], exports: [TeamsService] })
export class TeamsModule {}
