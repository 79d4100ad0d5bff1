import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../common/access.decorator';
import { Database } from '../database/database.service';

@Controller()
export class HealthController {
  constructor(private readonly db: Database) {}

  /** For load balancers and monitors: 200 when the database answers, 503 when it does not. */
  @Get('healthz')
  @Public()
  async health(@Res() res: Response) {
    const started = Date.now();
    try {
      await this.db.manager.query('SELECT 1');
      res.status(200).json({ status: 'ok', database: 'up', databaseMs: Date.now() - started });
    } catch {
      res.status(503).json({ status: 'error', database: 'down' });
    }
  }
}
