/** The metrics benchmark's ingest figure: the whole OTLP ingest handler vs bare JSON.parse. */
import type { Tables } from '@vigil/core/ports';
import { MemoryTableStore } from '@vigil/dynamo';
import { handler as ingestHandler } from '../../packages/functions/src/http/ingest';
import type { HttpEvent } from '../../packages/functions/src/http/toolkit/types';
import { configurePlatform } from '../../packages/functions/src/platform/context';
import { otlpPayload } from './data';

/** CPU ms spent in `run`. */
export async function cpu(run: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** An API Gateway event of an OTLP/HTTP JSON export, as the ingest function receives it. */
function otlpEvent(body: string): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /v1/metrics',
    rawPath: '/v1/metrics',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'bench', authorizer: { lambda: { keyId: 'bench', scopes: 'ingest' } } },
  } as unknown as HttpEvent;
}

/**
 * CPU time of the whole ingest handler (API Gateway event → OTLP JSON parse, translate,
 * validate, encode, in-memory store) vs JSON.parse of the same body, measured in alternating blocks in
 * the same process. Prints its own JSON line.
 */
export async function ingestThroughput(T0: number) {
  const points = 5_000;
  const payload = otlpPayload(points, T0);
  const event = otlpEvent(payload);
  const rounds = 60;
  // As on a function instance that has served requests: V8 compiles the handler's paths over
  // its first tens of requests (handler ~12 ms per request after 20, ~10 ms after 100).
  const warmup = 100;
  let parseMs = 0;
  let handlerMs = 0;
  // Steady state: the series are known (indexed) after the first request, as on a live system.
  // The plain in-memory table: the cost benchmark's attributing wrapper is not part of ingest.
  let now = T0;
  configurePlatform({
    clock: { now: () => now },
    tables: {
      metrics: new MemoryTableStore('metrics'),
      state: new MemoryTableStore('state'),
      logs: new MemoryTableStore('logs'),
    } as unknown as Tables,
  });
  const send = async () => {
    const result = await ingestHandler(event);
    if (result.statusCode !== 200 || result.body !== '{}')
      throw new Error(`ingest answered ${result.statusCode} ${result.body}`);
  };
  for (let r = 0; r < warmup; r++) {
    now = T0 + r * 15_000;
    JSON.parse(payload);
    await send();
  }
  // Each side is measured over a block of runs, so each pays for the collection of its own
  // garbage: a parse whose tree is dropped at once would otherwise leave its collection to
  // whichever measurement comes next. Blocks alternate, so load on the machine hits both.
  const block = 10;
  for (let b = 0, r = warmup; b < rounds / block; b++) {
    parseMs += await cpu(async () => {
      for (let i = 0; i < block; i++) JSON.parse(payload);
    });
    handlerMs += await cpu(async () => {
      for (let i = 0; i < block; i++, r++) {
        now = T0 + r * 15_000;
        await send();
      }
    });
  }
  const perRequest = (ms: number) => Math.round((ms / rounds) * 100) / 100;
  const result = {
    samplesPerRequest: points,
    payloadBytes: payload.length,
    handlerMsPerRequest: perRequest(handlerMs),
    jsonParseMsPerRequest: perRequest(parseMs),
    samplesPerSec: Math.round((points * rounds) / (handlerMs / 1000)),
    jsonParseMBps: Math.round(((payload.length * rounds) / 1e6 / (parseMs / 1000)) * 10) / 10,
    handlerMBps: Math.round(((payload.length * rounds) / 1e6 / (handlerMs / 1000)) * 10) / 10,
    ratioVsJsonParse: Math.round((parseMs / handlerMs) * 1000) / 1000,
    goal: 0.5,
  };
  process.stdout.write(`${JSON.stringify({ bench: 'metrics-ingest', ...result })}\n`);
  return result;
}
