import { randomUUID } from 'node:crypto';
import { ValidationError } from '@vigil/core';
import { evaluateRange, parsePromQL } from '@vigil/core/promql';
import { comparePeriods, FORECAST_METHODS, forecastSeries } from '@vigil/core/trends';
import * as z from 'zod';
import { firingBurnAlerts } from '../../insight/burn-alerts';
import { insight } from '../../insight/context';
import { routeLatencyFindings } from '../../insight/latency-changes';
import { logVolumeFindings } from '../../insight/log-volume';
import { generateAndSend } from '../../insight/reports';
import { statusOf } from '../../insight/slo-status';
import { findings, summary } from '../../insight/summary';
import { usage } from '../../insight/usage';
import { metricStores } from '../../metrics/context';
import { platform } from '../../platform/context';
import { route } from '../toolkit/index';

export const Id = z.object({ id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/) });
export const Query = z
  .string()
  .min(1)
  .max(5000)
  .refine((q) => {
    try {
      parsePromQL(q.replaceAll('$window', '5m'));
      return true;
    } catch {
      return false;
    }
  }, 'a valid PromQL expression ($window allowed)');
const SloBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  service: z.string().min(1).max(100),
  kind: z.enum(['availability', 'latency', 'error-rate']),
  good: Query,
  total: Query,
  target: z.number().gt(0).lt(1),
  windowDays: z.union([z.literal(7), z.literal(28), z.literal(30)]),
  description: z.string().max(2000).default(''),
});
const Instant = z
  .string()
  .refine((s) => Number.isFinite(Date.parse(s)) || /^\d+(\.\d+)?$/.test(s), 'ISO-8601 or Unix seconds');
const toMs = (s: string) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) * 1000 : Date.parse(s));

async function seriesPoints(query: string, start: number, end: number, stepMs: number) {
  const r = await evaluateRange(query, metricStores().querier, start, end, stepMs);
  return r.series.map((s) => ({
    labels: s.labels,
    points: s.ts.map((t, i) => ({ t, v: s.vs[i] })).filter((p) => Number.isFinite(p.v)),
  }));
}

/** SLOs, anomalies, analytics, reports, insights and the one-call status. */
export const insightRoutes = {
  'GET /api/v1/slos': route({
    handle: async ({ now }) => ({
      body: {
        slos: await Promise.all(
          (await insight().slos.all()).map(async (s) => ({ ...s, status: await statusOf(s, now) })),
        ),
      },
    }),
  }),
  'POST /api/v1/slos': route({
    body: SloBody,
    handle: async ({ body, now }) => {
      const slo = await insight().slos.create({ id: `slo_${randomUUID().slice(0, 8)}`, ...body });
      return { status: 201, body: { ...slo, status: await statusOf(slo, now) } };
    },
  }),
  'GET /api/v1/slos/{id}': route({
    params: Id,
    handle: async ({ params, now }) => {
      const slo = await insight().slos.require(params.id);
      const [status, burnAlerts] = await Promise.all([statusOf(slo, now), firingBurnAlerts(slo.id, now)]);
      return { body: { ...slo, status, burnAlerts } };
    },
  }),
  'PUT /api/v1/slos/{id}': route({
    params: Id,
    body: SloBody,
    handle: async ({ params, body }) => ({
      body: await insight().slos.update(params.id, (s) => ({ ...s, ...body })),
    }),
  }),
  'DELETE /api/v1/slos/{id}': route({
    params: Id,
    handle: async ({ params }) => {
      await insight().slos.require(params.id);
      await insight().slos.delete(params.id);
      return { status: 204 };
    },
  }),

  'POST /api/v1/anomaly-detectors': route({
    body: z.strictObject({
      name: z.string().min(1).max(200),
      query: Query,
      sensitivity: z.number().min(1).max(20).default(4),
      seasonality: z.enum(['none', 'daily', 'weekly']).default('none'),
      raiseAlert: z.boolean().default(false),
    }),
    handle: async ({ body }) => ({
      status: 201,
      body: await insight().detectors.create({ id: `det_${randomUUID().slice(0, 8)}`, ...body }),
    }),
  }),
  'GET /api/v1/anomaly-detectors': route({
    handle: async () => ({ body: { detectors: await insight().detectors.all() } }),
  }),
  'DELETE /api/v1/anomaly-detectors/{id}': route({
    params: Id,
    handle: async ({ params }) => {
      await insight().detectors.require(params.id);
      await insight().detectors.delete(params.id);
      return { status: 204 };
    },
  }),
  'GET /api/v1/anomalies': route({
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(2000).optional(),
    }),
    handle: async ({ query }) => {
      const page = await insight().anomalies.list({
        limit: query.limit,
        cursor: query.cursor,
        reverse: true,
      });
      return { body: { anomalies: page.items, nextCursor: page.cursor } };
    },
  }),

  'GET /api/v1/analytics/trends': route({
    query: z.object({
      query: Query,
      start: Instant.optional(),
      end: Instant.optional(),
      step: z.coerce.number().min(15).max(86_400).default(300),
      horizonHours: z.coerce
        .number()
        .min(1)
        .max(24 * 90)
        .default(24),
      threshold: z.coerce.number().optional(),
      method: z.enum(FORECAST_METHODS).default('auto'),
      seasonHours: z.coerce
        .number()
        .min(1)
        .max(24 * 7)
        .default(24),
    }),
    handle: async ({ query, now }) => {
      const end = query.end ? toMs(query.end) : now;
      const start = query.start ? toMs(query.start) : end - 7 * 86_400_000;
      if (start >= end)
        throw new ValidationError('start must be before end', [
          { field: 'start', message: 'must be before end' },
        ]);
      const series = await seriesPoints(query.query, start, end, query.step * 1000);
      return {
        body: {
          series: series.map((s) => ({
            labels: s.labels,
            ...forecastSeries(s.points, {
              method: query.method,
              horizonHours: query.horizonHours,
              stepMs: query.step * 1000,
              seasonHours: query.seasonHours,
              threshold: query.threshold,
            }),
          })),
        },
      };
    },
  }),
  'GET /api/v1/analytics/compare': route({
    query: z.object({
      query: Query,
      beforeStart: Instant,
      beforeEnd: Instant,
      afterStart: Instant,
      afterEnd: Instant,
      step: z.coerce.number().min(15).max(86_400).default(300),
    }),
    handle: async ({ query }) => {
      const [a, b] = await Promise.all([
        seriesPoints(query.query, toMs(query.beforeStart), toMs(query.beforeEnd), query.step * 1000),
        seriesPoints(query.query, toMs(query.afterStart), toMs(query.afterEnd), query.step * 1000),
      ]);
      const values = (s: typeof a) => s.flatMap((x) => x.points.map((p) => p.v));
      if (!values(a).length || !values(b).length)
        throw new ValidationError('one of the periods has no data', [
          { field: 'query', message: 'no samples in a period' },
        ]);
      return { body: comparePeriods(values(a), values(b)) };
    },
  }),
  'GET /api/v1/analytics/usage': route({
    query: z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }),
    handle: async ({ query, now }) => ({ body: await usage(now, query.days) }),
  }),

  'GET /api/v1/reports': route({
    handle: async () => ({
      body: {
        reports: (await insight().reports.list({ limit: 100, reverse: true })).items.map(
          ({ json: _, markdown: __, html: ___, ...r }) => r,
        ),
      },
    }),
  }),
  'POST /api/v1/reports': route({
    body: z.strictObject({
      type: z.enum(['executive', 'performance', 'trend', 'usage']).default('executive'),
      days: z.number().int().min(1).max(90).default(7),
    }),
    handle: async ({ body, now }) => {
      const r = await generateAndSend(platform(), body.type, now, body.days);
      return { status: 201, body: { id: r.id, type: r.type, period: r.period, generatedAt: r.generatedAt } };
    },
  }),
  'GET /api/v1/reports/{id}': route({
    params: Id,
    query: z.object({ format: z.enum(['json', 'markdown', 'html']).default('json') }),
    handle: async ({ params, query }) => {
      const r = await insight().reports.require(params.id);
      if (query.format === 'markdown')
        return { raw: { body: r.markdown, contentType: 'text/markdown; charset=utf-8' } };
      if (query.format === 'html') return { raw: { body: r.html, contentType: 'text/html; charset=utf-8' } };
      return { body: { id: r.id, type: r.type, period: r.period, generatedAt: r.generatedAt, ...r.json } };
    },
  }),
  'GET /api/v1/insights': route({
    handle: async ({ now }) => {
      const [s, latency, logs] = await Promise.all([
        summary(now),
        routeLatencyFindings(now),
        logVolumeFindings(),
      ]);
      return { body: { findings: findings(s, [...latency, ...logs]) } };
    },
  }),
  'GET /api/v1/status': route({ handle: async ({ now }) => ({ body: await summary(now) }) }),
};
