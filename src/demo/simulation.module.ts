import { Module, type DynamicModule } from '@nestjs/common';
import { Clock, ControlledClock } from '../clock/clock.js';
import { CYCLE_OPTIONS } from '../reports/monthly/monthly-cycle.starter.js';

const PINNED = Symbol('SIMULATION_CLOCK_PINNED');

/**
 * What a simulation changes in the service it builds: the controlled clock is pinned at the start date as
 * soon as it exists (before any start-up work reads it), and the monthly cycle is not started at boot —
 * the simulation starts it once its data is loaded.
 */
@Module({})
export class SimulationModule {
  static forRoot(start: number): DynamicModule {
    return {
      module: SimulationModule,
      global: true,
      providers: [
        { provide: CYCLE_OPTIONS, useValue: { startAtBoot: false } },
        {
          provide: PINNED,
          inject: [Clock],
          useFactory: (clock: Clock) => {
            if (!(clock instanceof ControlledClock)) throw new Error('a simulation needs DUBAN_CLOCK_CONTROLLED=true');
            clock.pin(start);
            return true;
          },
        },
      ],
      exports: [CYCLE_OPTIONS, PINNED],
    };
  }
}
