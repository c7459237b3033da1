import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ProcedureRegistry } from '../config/procedures';
import type { StaffMember } from '../config/staff';
import type { AttachmentStore } from '../codec/attachments';
import { complaintService, type ComplaintService } from './complaints';
import { openApiDocument } from './openapi';
import { HttpProblem, problemHandler } from './problem';
import { logOperatorProblem } from './temporal-errors';
import { adminRoutes } from './routes/admin';
import { codecRoutes } from './routes/codec';
import { complainantRoutes } from './routes/complainant';
import { healthRoutes } from './routes/health';
import { publicRoutes } from './routes/public';
import { backofficeRoutes } from './backoffice/routes';
import type { OidcSettings } from './backoffice/oidc';
import { type BackofficeStore, openBackofficeStore } from './backoffice/sessions';
import { pageRoutes } from './pages/routes';

export interface AppDependencies {
  client: Client;
  procedures: ProcedureRegistry;
  staff: readonly StaffMember[];
  linkSecret: string;
  publicBaseUrl: string;
  logger: Logger;
  /** Complaints one client address may file per quarter hour (default 30), by form and API together. */
  intakeRateLimit?: number;
  /** Failed sign-ins (401/403) allowed per quarter hour, per client address and per complaint, before 429. */
  authFailureLimits?: { perAddress: number; perComplaint: number };
  /** The origins of the Temporal UI, whose cross-origin calls the codec endpoint answers (none: same origin only). */
  codecOrigins?: readonly string[];
  complaints: ComplaintService;
  /** The back office's sign-in links and sessions. */
  backoffice: BackofficeStore;
  /** Signing in with the organisation's OpenID Connect provider, beside the e-mailed link (none: the link alone). */
  oidc?: OidcSettings;
  /** The attachments of e-mails that came in, to download (staff; the complainant their own). */
  attachments: AttachmentStore;
  /** The one limiter both intakes share; over the limit it raises a 429 problem each audience renders. */
  intakeLimit: RequestHandler;
}

function intakeLimiter(limit = 30): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) =>
      next(
        new HttpProblem({
          title: 'Too many requests',
          status: options.statusCode,
          detail: 'too many complaints from this address in a short time; try again in a quarter of an hour',
        }),
      ),
  });
}

/**
 * Guessing tokens is slow: after `limit` failed sign-ins (401 or 403) in a quarter hour from one
 * client address, or against one complaint's links, every further try answers 429 until the
 * quarter hour is over. Successful requests do not count.
 */
function authFailureLimiter(limit: number, key?: (req: Request) => string): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401 && res.statusCode !== 403,
    ...(key ? { keyGenerator: key } : {}),
    handler: (_req, _res, next, options) =>
      next(new HttpProblem({ title: 'Too many requests', status: options.statusCode, detail: 'too many failed sign-ins in a short time; try again in a quarter of an hour' })),
  });
}

const requestIdPattern = /^[\w-]{1,64}$/;

/** The Express app: routes per audience, problem+json for every error, JSON logs without personal data. */
export function createApp(options: Omit<AppDependencies, 'complaints' | 'intakeLimit' | 'backoffice'> & { complaints?: ComplaintService; backoffice?: BackofficeStore }): Express {
  const deps: AppDependencies = {
    ...options,
    // Without a store of its own (tests, the benchmark): one in memory, for this process alone.
    backoffice: options.backoffice ?? openBackofficeStore(':memory:'),
    complaints: options.complaints ?? complaintService(options.client, options.linkSecret),
    intakeLimit: intakeLimiter(options.intakeRateLimit),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  // One line per request: its id, method, path (never the query: it may carry a link token) and status.
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  const limits = deps.authFailureLimits ?? { perAddress: 50, perComplaint: 20 };
  app.use(['/api/admin', '/codec', '/api/complaints/:reference', '/dossier/:reference', '/beheer'], authFailureLimiter(limits.perAddress));
  app.use(['/api/complaints/:reference', '/dossier/:reference'], authFailureLimiter(limits.perComplaint, (req) => `complaint:${String(req.params.reference)}`));
  // Before the API's body parser: the codec reads larger bodies.
  app.use(codecRoutes(deps));
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));

  const document = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(healthRoutes(deps));
  app.use(publicRoutes(deps));
  app.use(complainantRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(pageRoutes(deps));
  app.use(backofficeRoutes(deps));
  app.use((req, _res, next) => {
    next(new HttpProblem({ title: 'Not found', status: 404, detail: `no route for ${req.method} ${req.path}` }));
  });
  app.use(
    problemHandler((err) =>
      err instanceof HttpProblem ? logOperatorProblem(deps.logger, err) : deps.logger.error({ err }, 'unhandled error'),
    ),
  );
  return app;
}
