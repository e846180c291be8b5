import { ValidationError } from '@vigil/core';
import type { SeriesInput } from '@vigil/core/events';
import { LIMITS } from '@vigil/core/metrics';
import {
  collectOtlpMetrics,
  type OtlpRejections,
  parseExposition,
  SeriesBatch,
} from '@vigil/core/metrics-formats';
import { writeBatch } from '../../metrics/write';
import { parseJson, problem, route } from '../toolkit/index';
import type { Reply } from '../toolkit/types';
import { readNativeBody } from './native-body';
import { decodeRemoteWrite } from './remote-write';

/** Refuses a whole request over the per-request limits, before anything is stored. */
function checkLimits(batch: SeriesBatch): void {
  if (batch.samples > LIMITS.samplesPerRequest)
    throw new ValidationError(
      `${batch.samples} samples exceed the limit of ${LIMITS.samplesPerRequest} per request`,
      [{ field: 'series', message: 'too many samples' }],
    );
  if (batch.entries > LIMITS.seriesPerRequest)
    throw new ValidationError(
      `${batch.entries} series exceed the limit of ${LIMITS.seriesPerRequest} per request`,
      [{ field: 'series', message: 'too many series' }],
    );
}

/**
 * Reads an OTLP/HTTP JSON export into `batch`. The parsed body is not referenced once this
 * returns, so the garbage collector need not copy it while the batch is written.
 */
function collectOtlpText(text: string, now: number, batch: SeriesBatch): OtlpRejections {
  const body = parseJson(text);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ValidationError('an OTLP export request is a JSON object', [
      { field: 'resourceMetrics', message: 'expected an object' },
    ]);
  return collectOtlpMetrics(body, now, batch);
}

/** Stores what is valid; a request where nothing is valid is a 400 naming every wrong field. */
async function store(series: SeriesInput[], now: number): Promise<Reply> {
  const batch = new SeriesBatch();
  for (const s of series) batch.add(s);
  checkLimits(batch);
  const outcome = await writeBatch(batch, now);
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
    // Parsed here rather than by the toolkit: the shape is checked by hand, zod only names errors.
    rawBody: true,
    handle: ({ bodyText, now }) =>
      store(readNativeBody(bodyText.trim() === '' ? undefined : parseJson(bodyText)), now),
  }),

  'POST /v1/metrics': route({
    rawBody: true,
    handle: async ({ bodyText, headers, now }) => {
      if ((headers['content-type'] ?? '').includes('protobuf')) {
        return problem(
          415,
          'OTLP/HTTP protobuf is not accepted; send OTLP/HTTP JSON (Content-Type: application/json)',
          [{ field: 'content-type', message: 'use application/json' }],
        );
      }
      const batch = new SeriesBatch();
      const translated = collectOtlpText(bodyText, now, batch);
      checkLimits(batch);
      const outcome = await writeBatch(batch, now);
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
      const batch = new SeriesBatch();
      for (const s of decodeRemoteWrite(rawBody)) batch.add(s);
      checkLimits(batch);
      const outcome = await writeBatch(batch, now);
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
    handle: async ({ bodyText, now }) => {
      const parsed = parseExposition(bodyText, now);
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
