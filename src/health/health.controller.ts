import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { TimerDriver } from '../engine/timers/timer-driver.js';
import { HealthDoc } from './dto/health.doc.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly driver: TimerDriver,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Database and queue status; 503 when either is down' })
  @ApiOkResponse({ description: 'database and queue answer (no sign-in needed)', type: HealthDoc })
  @ApiServiceUnavailableResponse({
    description: 'the database or the timer queue is down; `detail` says why',
    type: HealthDoc,
  })
  async health(@Res() res: Response) {
    let database: { ok: boolean; mode: string; detail?: string };
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000)),
      ]);
      database = { ok: true, mode: this.config.embedded ? 'embedded' : 'postgresql' };
    } catch (e) {
      database = { ok: false, mode: this.config.embedded ? 'embedded' : 'postgresql', detail: (e as Error).message };
    }
    const queue = await this.driver.status();
    const ok = database.ok && queue.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database, queue });
  }
}
