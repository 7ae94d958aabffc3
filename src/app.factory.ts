import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { validationPipe } from './common/validation.js';
import { refuseUnprocessableInput } from './common/request-hygiene.js';
import { QuietLogger } from './common/quiet-logger.js';

/** Builds the whole service; `main.ts` listens on it, tests drive it. */
export async function createApp(
  config: AppConfig,
  opts: { logger?: false | ('error' | 'warn' | 'log' | 'debug')[] } = {},
): Promise<NestExpressApplication> {
  const levels = {
    error: ['error'],
    warn: ['error', 'warn'],
    log: ['error', 'warn', 'log'],
    debug: ['error', 'warn', 'log', 'debug'],
  } as const;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // Always the escaping logger (tests and benches choose only its levels).
    logger:
      opts.logger === false
        ? false
        : new QuietLogger({ logLevels: opts.logger ?? [...levels[config.DUBAN_LOG_LEVEL as keyof typeof levels]] }),
    bodyParser: false,
  });
  // req.ip, which the sign-in throttle counts by: the socket's peer unless DUBAN_TRUST_PROXY names the proxies.
  app.set('trust proxy', config.trustProxy);
  // Security headers; no CORS: the pages are served from this origin, and other origins get no access.
  app.use(helmet());
  app.enableCors({ origin: false });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  // NUL characters and absurdly nested bodies: a 400 before any guard or handler (src/common/request-hygiene.ts).
  app.use(refuseUnprocessableInput);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('duban 督办')
      .setDescription('Supervision and accountability workflow service')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc);
  return app;
}
