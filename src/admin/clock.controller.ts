import { Body, Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { Clock, ControlledClock } from '../clock/clock.js';
import { ClockWalker } from '../engine/timers/clock-walker.js';
import { TimerDriver } from '../engine/timers/timer-driver.js';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { ClockDoc, ClockMovedDoc } from './dto/clock.doc.js';

const LIMIT = 8.64e15;

export class PinClockDto {
  @ApiProperty({
    example: 1772413200000,
    minimum: 0,
    maximum: LIMIT,
    description: 'the instant to pin the clock at, milliseconds since 1970-01-01T00:00:00Z',
  })
  @IsInt()
  @Min(0)
  @Max(LIMIT)
  epochMilli: number;
}

export class AddClockDto {
  @ApiProperty({
    example: 86400000,
    minimum: -LIMIT,
    maximum: LIMIT,
    description: 'milliseconds to move the clock by (negative moves it back)',
  })
  @IsInt()
  @Min(-LIMIT)
  @Max(LIMIT)
  offsetMilli: number;
}

/**
 * The controlled clock (DUBAN_CLOCK_CONTROLLED=true, never in production): a move forward stops at every due
 * time on the way, as if the time had passed, and answers after what fell due has fired.
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'not an admin', type: ErrorResponse })
@Controller('api/admin/clock')
export class ClockController {
  constructor(
    private readonly clock: Clock,
    private readonly walker: ClockWalker,
    private readonly driver: TimerDriver,
  ) {}

  private controlled(): ControlledClock {
    if (!(this.clock instanceof ControlledClock))
      throw new NotFoundException('时钟不受控（需设置 DUBAN_CLOCK_CONTROLLED=true）');
    return this.clock;
  }

  @Get()
  @ApiOperation({ summary: 'Current time of the service clock' })
  @ApiOkResponse({ type: ClockDoc })
  get() {
    return { epochMilli: this.clock.now() };
  }

  @Post('pin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pin the clock at an instant; answers once what fell due on the way fired, each in turn' })
  @ApiOkResponse({ type: ClockMovedDoc })
  @ApiNotFoundResponse({
    description: 'the clock is not controlled (DUBAN_CLOCK_CONTROLLED is not true)',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description: 'epochMilli missing, not a whole number or out of range',
    type: ValidationErrorResponse,
  })
  async pin(@Body() dto: PinClockDto) {
    const clock = this.controlled();
    // Pinned where it stands, then walked: the stops on the way stand still too.
    clock.pin(clock.now());
    return this.moveTo(dto.epochMilli);
  }

  @Post('add')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the clock by an offset; answers once what fell due on the way fired, each in turn' })
  @ApiOkResponse({ type: ClockMovedDoc })
  @ApiNotFoundResponse({
    description: 'the clock is not controlled (DUBAN_CLOCK_CONTROLLED is not true)',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description: 'offsetMilli missing, not a whole number or out of range',
    type: ValidationErrorResponse,
  })
  async add(@Body() dto: AddClockDto) {
    return this.moveTo(this.controlled().now() + dto.offsetMilli);
  }

  private async moveTo(target: number) {
    const walk = await this.walker.advanceTo(target);
    this.driver.clockMoved();
    return walk;
  }
}
