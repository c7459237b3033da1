// GET /openapi.json: built from the very schemas the routes validate with (api/schemas.ts).
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { actionNames, audienceOf, bodySchema, pathOf, rolesOf, summaryOf } from '../domain/actions';
import {
  dossierSchema,
  intakeResponseSchema,
  intakeSchema,
  problemSchema,
  referenceParam,
  destructionQuerySchema,
  registerQuerySchema,
  registerResponseSchema,
  reportQuerySchema,
  reportSchema,
  staffIntakeSchema,
} from './schemas';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemSchema } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

const errors = {
  400: problem('The body or a parameter is invalid: each field and the rule it broke'),
  404: problem('No such complaint'),
  413: problem('The body is larger than 64 KiB'),
  503: problem('Temporal or a worker did not answer in time; retry after Retry-After'),
} satisfies ZodOpenApiResponsesObject;
const staffErrors = { 401: problem('No staff token, or an unknown one'), 403: problem('This role may not do this') } satisfies ZodOpenApiResponsesObject;

const acceptedSchema = z.object({ status: z.literal('accepted'), reference: z.string(), detail: z.string(), dossier: z.string() }).meta({ id: 'Accepted' });
const idempotencyKey = z.string().min(8).max(200).optional().meta({ description: 'Repeat a request safely: the same key gives the same complaint or action once' });
const referencePath = z.object({ reference: referenceParam });
const body = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

function action(summary: string, schema: z.ZodType, security: 'staff' | 'link'): ZodOpenApiOperationObject {
  return {
    summary,
    security: security === 'staff' ? [{ staffToken: [] }] : [{ linkToken: [] }, { linkBearer: [] }],
    requestParams: { path: referencePath, header: z.object({ 'idempotency-key': idempotencyKey }) },
    requestBody: body(schema),
    responses: {
      200: json('The dossier after the action', dossierSchema),
      202: json('Accepted and still being carried out (the engine did not finish within 5 s): read the dossier at Location for the result', acceptedSchema),
      ...errors,
      ...(security === 'staff' ? staffErrors : { 401: problem('No link token'), 403: problem('The link is not valid (any more)') }),
      409: problem('Refused in the complaint\'s present state: the refusal\'s code, its data and the reason'),
      422: problem('The request breaks a rule, such as a time in the past: the field and the reason'),
      429: problem('Taken too often for this complaint today; retry after Retry-After'),
    },
  };
}

export function openApiDocument(): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {
    '/healthz': { get: { summary: 'Liveness', responses: { 200: json('Alive', z.object({ status: z.string() })) } } },
    '/readyz': { get: { summary: 'Readiness: Temporal answers', responses: { 200: json('Ready', z.object({ status: z.string() })), 503: problem('Temporal does not answer') } } },
    '/api/procedures/{id}': {
      get: {
        summary: 'The public part of a procedure: fields, categories, terms, appeal route',
        requestParams: { path: z.object({ id: z.string() }) },
        responses: { 200: json('The procedure', z.looseObject({ id: z.string(), organisation: z.string() })), 404: problem('No such procedure') },
      },
    },
    '/api/complaints': {
      post: {
        summary: 'File a complaint',
        requestParams: { header: z.object({ 'idempotency-key': idempotencyKey }) },
        requestBody: body(intakeSchema),
        responses: { 201: json('Filed', intakeResponseSchema), ...errors, 422: problem('Idempotency-Key used for another complaint'), 429: problem('Too many complaints from this address') },
      },
    },
    '/api/complaints/{reference}': {
      get: {
        summary: "The complainant's own dossier",
        security: [{ linkToken: [] }, { linkBearer: [] }],
        requestParams: { path: referencePath },
        responses: { 200: json('The dossier, without staff-internal notes', dossierSchema), ...errors, 401: problem('No link token'), 403: problem('The link is not valid (any more)') },
      },
    },
    '/api/admin/complaints': {
      post: {
        summary: 'Register a complaint received by phone, in person, by e-mail or letter',
        security: [{ staffToken: [] }],
        requestParams: { header: z.object({ 'idempotency-key': idempotencyKey }) },
        requestBody: body(staffIntakeSchema),
        responses: { 201: json('Registered', intakeResponseSchema), ...errors, ...staffErrors, 422: problem('receivedAt lies in the future, or the Idempotency-Key was used for another complaint') },
      },
      get: {
        summary: 'The register, filtered, one page at a time',
        security: [{ staffToken: [] }],
        requestParams: { query: registerQuerySchema },
        responses: { 200: json('One page', registerResponseSchema), ...errors, ...staffErrors },
      },
    },
    '/api/admin/complaints.csv': {
      get: {
        summary: 'The register as CSV for Excel (UTF-8 with BOM, semicolons)',
        security: [{ staffToken: [] }],
        requestParams: { query: registerQuerySchema },
        responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errors, ...staffErrors },
      },
    },
    '/api/admin/reports/{period}': {
      get: {
        summary: 'The analysis of a quarter (2026-Q2) or a year (2026): counts, terms met, extended and breached, lead times, appeals, causes (manager, director)',
        security: [{ staffToken: [] }],
        requestParams: { path: z.object({ period: z.string().regex(/^\d{4}(-Q[1-4])?$/) }), query: reportQuerySchema },
        responses: { 200: json('The analysis', reportSchema), ...errors, ...staffErrors },
      },
    },
    '/api/admin/destructions': {
      get: {
        summary: "The destruction statement of a month (the month before this one unless asked): every dossier destroyed, with reference, procedure, dates and an early destruction's reason; nothing personal (manager, director)",
        security: [{ staffToken: [] }],
        requestParams: { query: destructionQuerySchema },
        responses: {
          200: json('The month and its destroyed dossiers', z.object({ month: z.string(), destructions: z.array(z.record(z.string(), z.string())) })),
          ...errors,
          ...staffErrors,
        },
      },
    },
    '/api/admin/destructions.csv': {
      get: {
        summary: 'The destruction statement of a month as CSV for Excel (manager, director)',
        security: [{ staffToken: [] }],
        requestParams: { query: destructionQuerySchema },
        responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errors, ...staffErrors },
      },
    },
    '/api/admin/complaints/{reference}': {
      get: {
        summary: 'The full dossier',
        security: [{ staffToken: [] }],
        requestParams: { path: referencePath },
        responses: { 200: json('The dossier', dossierSchema), ...errors, ...staffErrors },
      },
    },
    '/api/admin/complaints/{reference}/export': {
      get: {
        summary: 'The whole dossier as one JSON file, for a request of access under the AVG/GDPR (manager, director; logged)',
        security: [{ staffToken: [] }],
        requestParams: { path: referencePath },
        responses: {
          200: json('The export: purpose, reference, when and by whom, and the dossier', z.object({ purpose: z.string(), reference: z.string(), exportedAt: z.string(), exportedBy: z.string(), dossier: dossierSchema })),
          ...errors,
          ...staffErrors,
        },
      },
    },
  };
  for (const name of actionNames) {
    // The mailbox's actions come from the mail intake, never over HTTP.
    if (audienceOf(name) === 'mailbox') continue;
    if (audienceOf(name) === 'complainant') {
      paths[`/api/complaints/{reference}/${pathOf(name)}`] = { post: action(summaryOf(name), bodySchema(name), 'link') };
    } else {
      paths[`/api/admin/complaints/{reference}/${pathOf(name)}`] = { post: action(`${summaryOf(name)} (${rolesOf(name).join(', ')})`, bodySchema(name), 'staff') };
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'klachtflow', version: '1.0.0', description: 'Complaint procedures as durable workflows: intake, complainant links, staff actions, the register.' },
    components: {
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', description: 'A staff token from the staff file' },
        linkToken: { type: 'apiKey', in: 'query', name: 'token', description: "The token of the complainant's personal link" },
        linkBearer: { type: 'http', scheme: 'bearer', description: "The complainant's link token as a bearer token" },
      },
    },
    paths,
  });
}
