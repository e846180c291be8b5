import { context, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecord } from '@vigil/core/logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * The OpenTelemetry JS logs SDK as an application runs it: a LoggerProvider with the OTLP/HTTP
 * exporter pointed at Vigil's `/v1/logs`, records emitted inside a span's context, then found
 * through the search API by that span's trace id.
 */
describe('OpenTelemetry JS logs SDK → /v1/logs', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  const provider = (processor: 'simple' | 'batch', key = rt.adminKey) => {
    const exporter = new OTLPLogExporter({
      url: `${rt.url}/v1/logs`,
      headers: { authorization: `Bearer ${key}` },
    });
    return new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'otel-shop', 'service.version': '1.4.2' }),
      processors: [
        processor === 'simple'
          ? new SimpleLogRecordProcessor({ exporter })
          : new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 }),
      ],
    });
  };
  const inSpan = (traceId: string, spanId: string) =>
    trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
  const search = async (params: Record<string, string>) => {
    const t = rt.clock.now();
    const q = new URLSearchParams({
      start: new Date(t - 3_600_000).toISOString(),
      end: new Date(t + 60_000).toISOString(),
      ...params,
    });
    const res = await rt.api('GET', `/api/v1/logs/search?${q}`);
    expect(res.status).toBe(200);
    return res.body.records as LogRecord[];
  };

  it('finds records sent by the real exporter by their trace id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spanId = '00f067aa0ba902b7';
    const other = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const logs = provider('simple');
    const logger = logs.getLogger('checkout', '1.0.0');
    const t = rt.clock.now();
    logger.emit({
      timestamp: t - 2000,
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'payment authorization failed',
      attributes: { 'order.id': 'o-1001', 'http.status_code': 502 },
      context: inSpan(traceId, spanId),
    });
    logger.emit({
      timestamp: t - 1000,
      severityNumber: SeverityNumber.INFO,
      body: { event: 'retry scheduled', attempt: 2 },
      context: inSpan(traceId, spanId),
    });
    logger.emit({
      timestamp: t - 800,
      severityNumber: SeverityNumber.DEBUG,
      body: { cart_items: 3, currency: 'EUR' },
      context: inSpan(traceId, spanId),
    });
    logger.emit({
      timestamp: t - 500,
      severityNumber: SeverityNumber.WARN,
      body: 'unrelated request slow',
      context: inSpan(other, '1111111111111111'),
    });
    await logs.forceFlush();
    await logs.shutdown();

    const found = await search({ trace_id: traceId });
    // A structured body is kept as fields; structlog's `event` key is its message, and a body
    // without any message key keeps its JSON text so a text search still finds it.
    expect(found.map((r) => r.message)).toEqual([
      JSON.stringify({ cart_items: 3, currency: 'EUR' }),
      'retry scheduled',
      'payment authorization failed',
    ]);
    expect(found[0].attributes).toMatchObject({ cart_items: 3, currency: 'EUR' });
    expect(found[1].attributes).toMatchObject({ attempt: 2 });
    expect(found[0].level).toBe('debug');
    expect(found[1].level).toBe('info');
    expect(found[2]).toMatchObject({
      timestamp: new Date(t - 2000).toISOString(),
      level: 'error',
      service: 'otel-shop',
      source: 'otlp',
      trace_id: traceId,
      span_id: spanId,
    });
    expect(found[2].attributes).toMatchObject({
      'order.id': 'o-1001',
      'http.status_code': 502,
      'resource.service.version': '1.4.2',
    });
    expect((await search({ trace_id: traceId, text: 'EUR' })).map((r) => r.message)).toHaveLength(1);
    expect((await search({ trace_id: other })).map((r) => r.message)).toEqual(['unrelated request slow']);
    expect(await search({ trace_id: 'ffffffffffffffffffffffffffffffff' })).toEqual([]);
  });

  it('a batch processor flushes many records in one export, all found', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const logs = provider('batch');
    const logger = logs.getLogger('worker');
    const t = rt.clock.now();
    for (let i = 0; i < 250; i++)
      logger.emit({
        timestamp: t - 10_000 + i,
        severityNumber: i % 50 === 0 ? SeverityNumber.ERROR : SeverityNumber.DEBUG,
        body: `job step ${i}`,
        context: inSpan(traceId, 'b7ad6b7169203331'),
      });
    await logs.forceFlush();
    await logs.shutdown();
    const all = await search({ trace_id: traceId, limit: '1000' });
    expect(all).toHaveLength(250);
    expect(all[0].message).toBe('job step 249');
    const errors = await search({ trace_id: traceId, level: 'error' });
    expect(errors.map((r) => r.message)).toEqual([200, 150, 100, 50, 0].map((i) => `job step ${i}`));
  });

  it('an exporter with a key lacking the ingest scope stores nothing', async () => {
    const created = await rt.api('POST', '/api/v1/keys', { name: 'reader', scopes: ['read'] });
    expect(created.status).toBe(201);
    const logs = provider('simple', created.body.key);
    logs.getLogger('x').emit({
      timestamp: rt.clock.now() - 100,
      severityNumber: SeverityNumber.ERROR,
      body: 'must not be stored',
      context: inSpan('99999999999999999999999999999999', '2222222222222222'),
    });
    await logs.forceFlush().catch(() => undefined);
    await logs.shutdown().catch(() => undefined);
    expect(await search({ trace_id: '99999999999999999999999999999999' })).toEqual([]);
  });
});
