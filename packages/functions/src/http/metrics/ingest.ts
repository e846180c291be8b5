import { ValidationError } from '@vigil/core';
import type { SeriesInput } from '@vigil/core/events';
import { LIMITS } from '@vigil/core/metrics';
import { parseExposition, translateOtlpMetrics } from '@vigil/core/metrics-formats';
import * as z from 'zod';
import { ingestSeries } from '../../metrics/write';
import { parseJson, problem, route } from '../toolkit/index';
import type { Reply } from '../toolkit/types';
import { decodeRemoteWrite } from './remote-write';

const NativeBody = z.strictObject({
  series: z
    .array(
      z.object({
        name: z.string(),
        labels: z.record(z.string(), z.string()).optional(),
        samples: z.array(z.tuple([z.number(), z.union([z.number(), z.string()])])),
      }),
    )
    .max(LIMITS.seriesPerRequest, `at most ${LIMITS.seriesPerRequest} series per request`),
});

function checkSampleCount(series: SeriesInput[]): void {
  const n = series.reduce((a, s) => a + (Array.isArray(s.samples) ? s.samples.length : 0), 0);
  if (n > LIMITS.samplesPerRequest)
    throw new ValidationError(`${n} samples exceed the limit of ${LIMITS.samplesPerRequest} per request`, [
      { field: 'series', message: 'too many samples' },
    ]);
  if (series.length > LIMITS.seriesPerRequest)
    throw new ValidationError(
      `${series.length} series exceed the limit of ${LIMITS.seriesPerRequest} per request`,
      [{ field: 'series', message: 'too many series' }],
    );
}

/** Stores what is valid; a request where nothing is valid is a 400 naming every wrong field. */
async function store(series: SeriesInput[], now: number): Promise<Reply> {
  checkSampleCount(series);
  const outcome = await ingestSeries(series, now);
  if (outcome.accepted === 0 && outcome.rejected > 0)
    return problem(400, `all ${outcome.rejected} samples were rejected`, outcome.errors, {
      accepted: 0,
      rejected: outcome.rejected,
    });
  return { body: outcome };
}

/** Metrics ingest in Vigil's JSON, OTLP/HTTP JSON, remote-write and text exposition. */
export const metricsIngest = {
  'POST /api/v1/metrics': route({
    body: NativeBody,
    handle: ({ body, now }) => store(body.series as SeriesInput[], now),
  }),

  'POST /v1/metrics': route({
    rawBody: true,
    handle: async ({ rawBody, headers, now }) => {
      if ((headers['content-type'] ?? '').includes('protobuf')) {
        return problem(
          415,
          'OTLP/HTTP protobuf is not accepted; send OTLP/HTTP JSON (Content-Type: application/json)',
          [{ field: 'content-type', message: 'use application/json' }],
        );
      }
      const body = parseJson(rawBody.toString('utf8'));
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new ValidationError('an OTLP export request is a JSON object', [
          { field: 'resourceMetrics', message: 'expected an object' },
        ]);
      const translated = translateOtlpMetrics(body, now);
      checkSampleCount(translated.series);
      const outcome = await ingestSeries(translated.series, now);
      const rejected = translated.rejectedDataPoints + outcome.rejected;
      const messages = [...translated.messages, ...outcome.errors.map((e) => `${e.field}: ${e.message}`)];
      return {
        body: rejected
          ? {
              partialSuccess: {
                rejectedDataPoints: String(rejected),
                errorMessage: messages.slice(0, 20).join('; '),
              },
            }
          : {},
      };
    },
  }),

  'POST /api/v1/write': route({
    rawBody: true,
    handle: async ({ rawBody, now }) => {
      const series = decodeRemoteWrite(rawBody);
      checkSampleCount(series);
      const outcome = await ingestSeries(series, now);
      if (outcome.rejected)
        return problem(
          400,
          `${outcome.rejected} samples were invalid: ${outcome.errors[0]?.message ?? ''}`,
          outcome.errors,
        );
      return { status: 204 };
    },
  }),

  'POST /api/v1/import/prometheus': route({
    rawBody: true,
    handle: async ({ rawBody, now }) => {
      const parsed = parseExposition(rawBody.toString('utf8'), now);
      if (parsed.errors.length && !parsed.series.length)
        return problem(
          400,
          `the exposition could not be read: ${parsed.errors[0].field}: ${parsed.errors[0].message}`,
          parsed.errors,
        );
      const result = await store(parsed.series, now);
      if (result.status) return result;
      const outcome = result.body as { accepted: number; rejected: number; errors: unknown[] };
      return {
        body: {
          ...outcome,
          rejected: outcome.rejected + parsed.errors.length,
          errors: [...parsed.errors, ...outcome.errors],
        },
      };
    },
  }),
};
