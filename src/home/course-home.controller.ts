import { Controller, Get, Render } from '@nestjs/common';
import { InCourse } from '../common/access.decorator';
import type { CourseViewer } from '../courses/course-access.service';
import { Viewer } from '../courses/course-viewer.decorator';
import { CourseHomePage } from './course-home.page';

/** The page a course opens on: what the course is, where it stands, and the work under way. */
@Controller('courses/:id')
export class CourseHomeController {
  constructor(private readonly page: CourseHomePage) {}

  @Get()
  @InCourse('course.view')
  @Render('courses/home')
  home(@Viewer() v: CourseViewer) {
    return this.page.build(v);
  }
}
