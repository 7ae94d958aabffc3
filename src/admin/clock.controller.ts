import { Body, Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { Clock, ControlledClock } from '../clock/clock.js';
import { EngineService } from '../engine/engine.service.js';
import { TimerDriver } from '../engine/timers/timer-driver.js';

const LIMIT = 8.64e15;

export class PinClockDto {
  @IsInt() @Min(0) @Max(LIMIT)
  epochMilli: number;
}

export class AddClockDto {
  @IsInt() @Min(-LIMIT) @Max(LIMIT)
  offsetMilli: number;
}

/** The controlled clock (DUBAN_CLOCK_CONTROLLED=true, never in production): moves answer after what fell due has fired. */
@ApiTags('admin')
@Controller('api/admin/clock')
export class ClockController {
  constructor(
    private readonly clock: Clock,
    private readonly engine: EngineService,
    private readonly driver: TimerDriver,
  ) {}

  private controlled(): ControlledClock {
    if (!(this.clock instanceof ControlledClock)) throw new NotFoundException('the clock is not controlled (set DUBAN_CLOCK_CONTROLLED=true)');
    return this.clock;
  }

  @Get()
  @ApiOperation({ summary: 'Current time of the service clock' })
  get() {
    return { epochMilli: this.clock.now() };
  }

  @Post('pin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pin the clock at an instant; answers after every timer due by then has fired' })
  async pin(@Body() dto: PinClockDto) {
    this.controlled().pin(dto.epochMilli);
    return this.settle();
  }

  @Post('add')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the clock by an offset; answers after every timer due by then has fired' })
  async add(@Body() dto: AddClockDto) {
    this.controlled().add(dto.offsetMilli);
    return this.settle();
  }

  private async settle() {
    const fired = await this.engine.drainDue();
    this.driver.clockMoved();
    return { epochMilli: this.clock.now(), timersFired: fired };
  }
}
