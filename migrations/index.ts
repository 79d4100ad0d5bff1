import { Foundation1764000000000 } from './1764000000000-Foundation';
import { CoursesTeamsResources1764100000000 } from './1764100000000-CoursesTeamsResources';
import { TasksSubmissionsReviews1764200000000 } from './1764200000000-TasksSubmissionsReviews';
import { SharingAndDiscussion1764300000000 } from './1764300000000-SharingAndDiscussion';
import { TaskResourcesReviewFiles1764400000000 } from './1764400000000-TaskResourcesReviewFiles';
import { SecondTeamAllowance1764560000000 } from './1764560000000-SecondTeamAllowance';
import { DomainEvents1764600000000 } from './1764600000000-DomainEvents';
import { OutboxAndDispatch1764700000000 } from './1764700000000-OutboxAndDispatch';
import { AuditLogIndex1764710000000 } from './1764710000000-AuditLogIndex';
import { Notifications1764720000000 } from './1764720000000-Notifications';
import { ExpertAvailability1764740000000 } from './1764740000000-ExpertAvailability';
import { CalendarFeeds1764750000000 } from './1764750000000-CalendarFeeds';
import { Meetings1764760000000 } from './1764760000000-Meetings';
import { MeetingDetails1764770000000 } from './1764770000000-MeetingDetails';
import { MeetingRecords1764780000000 } from './1764780000000-MeetingRecords';
import { WorkingHours1764790000000 } from './1764790000000-WorkingHours';
import { ScaleIndexes1764800000000 } from './1764800000000-ScaleIndexes';
import { SubmissionsUserIndex1764810000000 } from './1764810000000-SubmissionsUserIndex';
import { FileKeyIndex1764820000000 } from './1764820000000-FileKeyIndex';
import { ReviewReleaseIndex1764850000000 } from './1764850000000-ReviewReleaseIndex';
import { SharedVersionsIndex1764860000000 } from './1764860000000-SharedVersionsIndex';
import { ContentVersion1764870000000 } from './1764870000000-ContentVersion';
import { WorkingDays1764880000000 } from './1764880000000-WorkingDays';
import { SubmissionStatusSince1764890000000 } from './1764890000000-SubmissionStatusSince';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [
  Foundation1764000000000,
  CoursesTeamsResources1764100000000,
  TasksSubmissionsReviews1764200000000,
  SharingAndDiscussion1764300000000,
  TaskResourcesReviewFiles1764400000000,
  SecondTeamAllowance1764560000000,
  DomainEvents1764600000000,
  OutboxAndDispatch1764700000000,
  AuditLogIndex1764710000000,
  Notifications1764720000000,
  ExpertAvailability1764740000000,
  CalendarFeeds1764750000000,
  Meetings1764760000000,
  MeetingDetails1764770000000,
  MeetingRecords1764780000000,
  WorkingHours1764790000000,
  ScaleIndexes1764800000000,
  SubmissionsUserIndex1764810000000,
  FileKeyIndex1764820000000,
  ReviewReleaseIndex1764850000000,
  SharedVersionsIndex1764860000000,
  ContentVersion1764870000000,
  WorkingDays1764880000000,
  SubmissionStatusSince1764890000000,
];
