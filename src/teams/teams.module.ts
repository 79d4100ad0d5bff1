import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { TeamsController } from './teams.controller';

@Module({ imports: [CoursesModule, InvitationsModule], controllers: [TeamsController] })
export class TeamsModule {}
