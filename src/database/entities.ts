import { PasswordReset } from '../auth/password-reset.entity';
import { Meeting, MeetingAction, MeetingAttendance, MeetingPerson, MeetingTeam } from '../meetings/meeting.entity';
import { Availability, AvailabilityDayOff, AvailabilityOneOffWindow, AvailabilityWeeklyWindow } from '../meetings/availability.entity';
import { WorkingHours } from '../meetings/working-hours.entity';
import { Invitation } from '../invitations/invitation.entity';
import { RateLimitRow } from '../rate-limit/rate-limit.entity';
import { SessionRow } from '../sessions/session.entity';
import { Course } from '../courses/course.entity';
import { DomainEvent } from '../events/domain-event.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { Notification, NotificationDigest, NotificationPreference } from '../notifications/notification.entity';
import { CalendarFeed } from '../calendar/calendar-feed.entity';
import { CourseMember } from '../courses/course-member.entity';
import { Phase } from '../courses/phase.entity';
import { ProgrammeSession } from '../courses/programme-session.entity';
import { Resource, ResourceTag } from '../resources/resource.entity';
import {
  Review,
  ReviewFile,
  Submission,
  SubmissionEvent,
  SubmissionFile,
  SubmissionMessage,
  SubmissionMessageEdit,
  SubmissionVersion,
  VersionFile,
} from '../submissions/submission.entity';
import { Task, TaskResource, TaskTeam } from '../tasks/task.entity';
import { Team } from '../teams/team.entity';
import { TeamExpert } from '../teams/team-expert.entity';
import { TeamMember } from '../teams/team-member.entity';
import { User } from '../users/user.entity';

/** Every entity of the application, registered once with the DataSource. */
export const ENTITIES = [
  OutboxMessage,
  User,
  Invitation,
  PasswordReset,
  SessionRow,
  RateLimitRow,
  Course,
  Phase,
  ProgrammeSession,
  CourseMember,
  Team,
  TeamMember,
  TeamExpert,
  Resource,
  ResourceTag,
  Task,
  TaskTeam,
  Submission,
  SubmissionFile,
  SubmissionVersion,
  VersionFile,
  SubmissionEvent,
  Review,
  SubmissionMessage,
  SubmissionMessageEdit,
  TaskResource,
  ReviewFile,
  DomainEvent,
  Notification,
  NotificationPreference,
  NotificationDigest,
  Availability,
  AvailabilityWeeklyWindow,
  AvailabilityOneOffWindow,
  AvailabilityDayOff,
  CalendarFeed,
  Meeting,
  MeetingTeam,
  MeetingPerson,
  MeetingAttendance,
  MeetingAction,
  WorkingHours,
];
