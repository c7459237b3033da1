import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { ProcedureRegistry } from '../config/procedures';
import { HttpProblem, problemHandler } from './problem';
import { healthRoutes } from './routes/health';
import { intakeRoutes } from './routes/intake';

export interface AppDependencies {
  client: Client;
  procedures: ProcedureRegistry;
  linkSecret: string;
  publicBaseUrl: string;
  logger: Logger;
}

/** The Express app: routes per audience, problem+json for every error. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  app.use(healthRoutes(deps));
  app.use(intakeRoutes(deps));
  app.use((req, _res, next) => {
    next(new HttpProblem({ title: 'Not found', status: 404, detail: `no route for ${req.method} ${req.path}` }));
  });
  app.use(problemHandler((err) => deps.logger.error({ err }, 'unhandled error')));
  return app;
}
