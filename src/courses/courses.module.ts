import { Module } from '@nestjs/common';
import { COURSE_ACCESS } from '../common/course-access.port';
import { UsersModule } from '../users/users.module';
import { CourseAccessService } from './course-access.service';
import { CoursePages } from './course-pages';
import { CourseStaffService } from './course-staff.service';
import { CoursesController } from './courses.controller';
import { CoursesService } from './courses.service';
import { ProgrammeService } from './programme.service';

/**
 * Courses with their phases, programme and staff (facilitators, experts), and course access: what
 * a person is in a course (the access guard's COURSE_ACCESS). Team membership comes from the
 * teams module through the TeamMemberships port.
 */
@Module({
  imports: [UsersModule],
  controllers: [CoursesController],
  providers: [
    CourseAccessService,
    { provide: COURSE_ACCESS, useExisting: CourseAccessService },
    CoursesService,
    ProgrammeService,
    CourseStaffService,
    CoursePages,
  ],
  exports: [CourseAccessService, COURSE_ACCESS, CoursesService, ProgrammeService, CourseStaffService],
})
export class CoursesModule {}
