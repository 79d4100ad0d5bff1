import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SignedIn } from '../common/access.decorator';
import { flash } from '../common/flash';
import { FormView } from '../common/form-view';
import { WorkingHoursDto } from './dto/working-hours.dto';
import { WorkingHoursService } from './working-hours.service';

/** "Your working hours", linked from "Your account": when meetings suit the person, on their own clock and calendar. */
@Controller('account/working-hours')
@SignedIn()
export class WorkingHoursController {
  constructor(private readonly hours: WorkingHoursService) {}

  @Get()
  @Render('meetings/working-hours')
  show(@Req() req: Request) {
    return this.page(req);
  }

  @Post()
  @FormView('meetings/working-hours', 'page')
  async save(@Body() dto: WorkingHoursDto, @Req() req: Request, @Res() res: Response) {
    await this.hours.save(req.user!.id, dto);
    flash(req, 'success', 'Your working hours have been saved.');
    res.redirect(303, '/account/working-hours');
  }

  /** The page (also after a 422, when the form's values replace the saved ones). */
  page(req: Request) {
    return this.hours.page(req.user!);
  }
}
