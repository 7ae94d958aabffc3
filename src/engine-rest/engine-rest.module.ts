import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/app-config.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { CamundaJsonMiddleware } from './camunda-json.middleware.js';
import { DeploymentController } from './deployment.controller.js';
import { DeploymentResourceController } from './deployment-resource.controller.js';
import { EngineInfoController } from './engine-info.controller.js';
import { ExternalTaskController } from './external-task.controller.js';
import { ExternalTaskService } from './external-task.service.js';
import { HistoryController } from './history.controller.js';
import { IncidentController } from './incident.controller.js';
import { JobController } from './job.controller.js';
import { MessageController } from './message.controller.js';
import { ProcessDefinitionController } from './process-definition.controller.js';
import { ProcessInstanceController } from './process-instance.controller.js';
import { ProcessInstanceVariablesController } from './process-instance-variables.controller.js';
import { TaskController } from './task.controller.js';
import { TaskVariablesController } from './task-variables.controller.js';
import { TaskWorkController } from './task-work.controller.js';
import { HistoryRecordsController } from './history-records.controller.js';
import { VariableAccess } from './variable-access.service.js';

const controllers = [
  EngineInfoController,
  DeploymentController,
  DeploymentResourceController,
  ProcessDefinitionController,
  ProcessInstanceController,
  ProcessInstanceVariablesController,
  TaskController,
  TaskVariablesController,
  TaskWorkController,
  HistoryController,
  HistoryRecordsController,
  JobController,
  IncidentController,
  MessageController,
  ExternalTaskController,
];

/**
 * A Camunda 7 REST-compatible subset at /engine-rest over the durable engine, for Camunda Modeler, the
 * external task clients and other Camunda tooling.
 */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Files stay in memory: a deployment is checked whole before anything is stored.
        defParamCharset: 'utf8',
        limits: { fileSize: config.DUBAN_MAX_BPMN_BYTES, files: 50, fields: 20, fieldSize: 64 * 1024 },
      }),
    }),
  ],
  controllers,
  providers: [ExternalTaskService, VariableAccess, CamundaExceptionFilter],
  exports: [ExternalTaskService],
})
export class EngineRestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CamundaJsonMiddleware).forRoutes(...controllers);
  }
}
