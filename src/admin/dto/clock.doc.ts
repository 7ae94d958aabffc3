import { ApiProperty } from '@nestjs/swagger';

export class ClockDoc {
  @ApiProperty({ example: 1772413200000, description: 'the service clock: milliseconds since 1970-01-01T00:00:00Z' })
  epochMilli: number;
}

export class ClockMovedDoc extends ClockDoc {
  @ApiProperty({ example: 3, description: 'timers that fell due by the new time and fired before this answer' })
  timersFired: number;

  @ApiProperty({ example: 3, description: 'due times the clock stopped at on the way, each firing what fell due then' })
  stops: number;

  @ApiProperty({ example: false, description: 'true when the stops ran out (20,000): the rest was one jump' })
  jumped: boolean;
}
