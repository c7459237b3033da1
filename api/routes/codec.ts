// The codec endpoint for the Temporal UI and CLI (the remote-codec protocol): payloads in
// proto JSON, encrypted or decrypted with this process's key ring, for signed-in staff only and
// cross-origin from the configured UI alone. Every call is logged with who and how many, never what.
import type { Payload } from '@temporalio/common';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../app';
import { staffAuth, staffOf } from '../auth';
import { sessionCookieName } from '../backoffice/sessions';
import { HttpProblem, validationProblem } from '../problem';

const base64 = z.string().max(8 * 1024 * 1024).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const payloadsSchema = z.strictObject({
  payloads: z
    .array(z.object({ metadata: z.record(z.string().max(200), base64).optional(), data: base64.optional() }))
    .max(10_000, 'at most 10,000 payloads in one call'),
});
type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

const fromJson = ({ metadata = {}, data = '' }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(data, 'base64'),
});
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

export function codecRoutes(deps: AppDependencies): Router {
  const router = Router();
  const { client, logger } = deps;
  const namespace = client.options.namespace;
  const codecs = client.options.loadedDataConverter.payloadCodecs;
  // Preflight and answers carry CORS headers for the UI's origin only; the UI may send its credentials.
  const crossOrigin = cors({
    origin: [...(deps.codecOrigins ?? [])],
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Namespace'],
    maxAge: 600,
  });
  // The Temporal UI sends the back office's session cookie ("include cross-origin credentials").
  const sessionCookie = sessionCookieName(deps.publicBaseUrl);
  const signedInStaff = (req: express.Request): string | undefined => {
    const token = (req.cookies as Record<string, unknown> | undefined)?.[sessionCookie];
    return typeof token === 'string' ? deps.backoffice.sessionOf(token)?.staffId : undefined;
  };
  // A history's payloads may be large: this route reads up to 8 MB, the rest of the API 64 kB.
  const body = express.json({ limit: '8mb' });
  const transform = (direction: 'encode' | 'decode') =>
    async (req: express.Request, res: express.Response): Promise<void> => {
      const given = req.get('x-namespace');
      if (given !== undefined && given !== namespace) {
        throw new HttpProblem({ title: 'Unknown namespace', status: 403, detail: `this codec serves namespace ${namespace}, not ${given}` });
      }
      const parsed = payloadsSchema.safeParse(req.body);
      if (!parsed.success) throw validationProblem(parsed.error);
      let payloads = parsed.data.payloads.map(fromJson);
      try {
        // Encoding applies the codecs in order, decoding in reverse: the SDK's own rule.
        for (const codec of direction === 'encode' ? codecs : [...codecs].reverse()) payloads = await codec[direction](payloads);
      } catch (err) {
        throw new HttpProblem({ title: 'Cannot decode', status: 422, detail: `payloads cannot be ${direction}d: ${(err as Error).message}` });
      }
      logger.info({ codec: direction, staff: staffOf(res).id, namespace, payloads: payloads.length }, 'codec call');
      res.json({ payloads: payloads.map(toJson) });
    };
  for (const direction of ['encode', 'decode'] as const) {
    router.options(`/codec/${direction}`, crossOrigin);
    router.post(`/codec/${direction}`, crossOrigin, cookieParser(), staffAuth(deps.staff, signedInStaff), body, transform(direction));
  }
  return router;
}
