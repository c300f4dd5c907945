import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

/**
 * A stand-in for two small third-party services nobody here wrote, for the parameter kinds the bundled specs
 * lack (issue 9, item 13): Train Travel's `GET /trips` (a required `date-time` query parameter, uuids,
 * optional booleans; OAuth2 bearer) and Petstore's `GET /v2/store/order/{orderId}` (an integer id with
 * `minimum: 1`, `maximum: 10`). Written as such services are — Express, hand-rolled validation, RFC 9457
 * problem bodies — and conformant for these two operations (run it with `--operation get-trips` or
 * `--operation getOrderById`). Each defect is a validation bug that a trustworthy runner catches with
 * `positive-data-acceptance`.
 */
export const timetableDefects = {
  /** `date` parsed with a pattern that only knows `Z`: `2024-02-01T10:00:00+02:00` or fractions are refused. */
  'rejects-offset-date-time': 'positive-data-acceptance',
  /** An off-by-one in the range check: `orderId=10`, the documented maximum, is refused. */
  'rejects-boundary-value': 'positive-data-acceptance',
} as const;
export type TimetableDefect = keyof typeof timetableDefects;

export interface TimetableDeployment {
  url: string;
  close(): Promise<void>;
}

const TOKEN = 'demo-token';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startTimetableDeployment(
  options: { defects?: TimetableDefect[] } = {},
): Promise<TimetableDeployment> {
  const defects = new Set(options.defects ?? []);
  const app = express();
  app.disable('etag');

  const problem = (res: Response, status: number, title: string, detail: string) => {
    res.status(status);
    res.setHeader('ratelimit', 'limit=100, remaining=99, reset=60');
    res
      .type('application/problem+json')
      .send(JSON.stringify({ type: `https://example.com/errors/${status}`, title, status, detail }));
  };
  const isDateTime = (value: string): boolean => {
    const pattern = defects.has('rejects-offset-date-time')
      ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
      : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
    return pattern.test(value) && !Number.isNaN(Date.parse(value));
  };
  const single = (req: Request, name: string): string | undefined => {
    const v = req.query[name];
    return typeof v === 'string' ? v : undefined;
  };

  // ---------------------------------------------------------------- Train Travel: GET /trips
  app.all('/trips', (req, res, next) => {
    if (req.method === 'GET') return next();
    res.setHeader('allow', 'GET');
    problem(res, 405, 'Method Not Allowed', 'Use GET');
  });
  app.get('/trips', (req, res) => {
    if (req.headers.authorization === undefined) return problem(res, 401, 'Unauthorized', 'Sign in first');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return problem(res, 403, 'Forbidden', 'Token not accepted');
    const origin = single(req, 'origin');
    const destination = single(req, 'destination');
    const date = single(req, 'date');
    if (!origin || !uuid.test(origin)) return problem(res, 400, 'Bad Request', 'origin must be a station id');
    if (!destination || !uuid.test(destination))
      return problem(res, 400, 'Bad Request', 'destination must be a station id');
    if (!date || !isDateTime(date)) return problem(res, 400, 'Bad Request', 'date must be an RFC 3339 date-time');
    for (const flag of ['bicycles', 'dogs']) {
      const v = single(req, flag);
      if (v !== undefined && v !== 'true' && v !== 'false')
        return problem(res, 400, 'Bad Request', `${flag} must be true or false`);
    }
    const day = new Date(Date.parse(date)).toISOString().slice(0, 10);
    res.setHeader('ratelimit', 'limit=100, remaining=99, reset=60');
    res.json({
      data: [
        {
          id: randomUUID(),
          origin,
          destination,
          departure_time: `${day}T10:00:00Z`,
          arrival_time: `${day}T16:00:00Z`,
          operator: 'Deutsche Bahn',
          price: 50,
          bicycles_allowed: single(req, 'bicycles') !== 'false',
          dogs_allowed: true,
        },
      ],
      links: { self: `https://api.example.com/trips?origin=${origin}&destination=${destination}` },
    });
  });

  // ---------------------------------------------------------------- Petstore: GET /v2/store/order/{orderId}
  app.all('/v2/store/order/:orderId', (req, res, next) => {
    if (req.method === 'GET') return next();
    res.setHeader('allow', 'GET');
    res.status(405).end();
  });
  app.get('/v2/store/order/:orderId', (req, res) => {
    const raw = String(req.params.orderId);
    const id = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const upper = defects.has('rejects-boundary-value') ? 9 : 10;
    if (!Number.isInteger(id) || id < 1 || id > upper) return res.status(400).end(); // "Invalid ID supplied"
    res.json({
      id,
      petId: 100 + id,
      quantity: 1,
      shipDate: '2024-02-01T10:00:00.000Z',
      status: 'placed',
      complete: false,
    });
  });

  app.use((_req, res) => problem(res, 404, 'Not Found', 'No such route'));

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
