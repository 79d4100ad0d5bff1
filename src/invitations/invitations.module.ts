import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { TeamsModule } from '../teams/teams.module';
import { UsersModule } from '../users/users.module';
import { InvitationsController } from './invitations.controller';
import { InvitationsPages } from './invitations.page';
import { InvitationsService } from './invitations.service';
import { TeamInvitationsController } from './team-invitations.controller';

/**
 * Invitations to Atelier, some into a team: the account, the team place and the used-up
 * invitation are written through UsersService and TeamsService in one transaction.
 */
@Module({
  imports: [UsersModule, CoursesModule, TeamsModule],
  controllers: [InvitationsController, TeamInvitationsController],
  providers: [InvitationsService, InvitationsPages],
  exports: [InvitationsService],
})
export class InvitationsModule {}
