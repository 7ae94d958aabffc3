import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { redisConnection } from '../common/redis-connection.js';
import { AppConfig } from '../config/app-config.js';
import { BootDeployer } from './boot-deployer.js';
import { DefinitionService } from './definition.service.js';
import { DeploymentResourceService } from './deployment-resource.service.js';
import { DeploymentDeletion } from './deployment-deletion.js';
import { EngineService } from './engine.service.js';
import { HandlerRegistry } from './handler-registry.js';
import { StepService } from './step.service.js';
import { BullmqTimerDriver } from './timers/bullmq-timer-driver.js';
import { ClockWalker } from './timers/clock-walker.js';
import { LocalTimerDriver } from './timers/local-timer-driver.js';
import { TimerDriver } from './timers/timer-driver.js';
import { TimerReconciler } from './timers/timer-reconciler.js';

@Global()
@Module({
  providers: [
    HandlerRegistry,
    {
      provide: TimerDriver,
      inject: [AppConfig, DataSource, Clock],
      useFactory: (config: AppConfig, db: DataSource, clock: Clock) =>
        config.REDIS_URL
          ? new BullmqTimerDriver(redisConnection(config.REDIS_URL), config.DUBAN_QUEUE_PREFIX, clock)
          : new LocalTimerDriver(db, clock),
    },
    DefinitionService,
    DeploymentResourceService,
    DeploymentDeletion,
    StepService,
    EngineService,
    TimerReconciler,
    ClockWalker,
    BootDeployer,
  ],
  exports: [
    HandlerRegistry,
    DefinitionService,
    DeploymentResourceService,
    DeploymentDeletion,
    EngineService,
    StepService,
    TimerDriver,
    TimerReconciler,
    ClockWalker,
  ],
})
export class EngineModule {}
