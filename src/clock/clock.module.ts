import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock, ControlledClock, SystemClock, WallClock } from './clock.js';

@Global()
@Module({
  providers: [
    {
      provide: Clock,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => (c.DUBAN_CLOCK_CONTROLLED ? new ControlledClock() : new SystemClock()),
    },
    // Real time; under NODE_ENV=test a clock running with it that tests in the same process may move forward
    // (to let a lock or a token run out). No endpoint moves it.
    {
      provide: WallClock,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => (c.NODE_ENV === 'test' ? new ControlledClock() : new SystemClock()),
    },
  ],
  exports: [Clock, WallClock],
})
export class ClockModule {}
