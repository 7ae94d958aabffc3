import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock, ControlledClock, SystemClock } from './clock.js';

@Global()
@Module({
  providers: [{ provide: Clock, inject: [AppConfig], useFactory: (c: AppConfig) => (c.DUBAN_CLOCK_CONTROLLED ? new ControlledClock() : new SystemClock()) }],
  exports: [Clock],
})
export class ClockModule {}
