import type { LogRecord } from '@vigil/core/logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../support/runtime';

/**
 * Live tail as a client sees it: server-sent events reach a tailing client within 2 s, and a
 * client that reconnects with Last-Event-ID gets everything that arrived meanwhile, once.
 */

interface SseEvent {
  id: string;
  record: LogRecord;
}

/**
 * A minimal EventSource: parses the stream as the SSE spec says, keeping the last event id
 * (an `id:` without data moves it too) and the events with data.
 */
function openTail(url: string, key: string, lastEventId?: string) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let lastId = lastEventId ?? '';
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    connected = () => resolve();
  });
  const done = (async () => {
    const res = await fetch(url, {
      headers: {
        authorization: `Bearer ${key}`,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let data: string | undefined;
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) lastId = line.slice(3).trim();
            else if (line.startsWith('data:')) data = (data ? `${data}\n` : '') + line.slice(5).trimStart();
          }
          connected();
          if (data !== undefined) events.push({ id: lastId, record: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return {
    events,
    ready,
    lastId: () => lastId,
    close: async () => {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}

async function until<T>(what: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live tail', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  const ingest = async (records: object[], path = '/api/v1/logs') => {
    const res = await rt.api('POST', path, records);
    expect(res.status).toBe(200);
  };
  const rec = (message: string, extra: object = {}) => ({
    timestamp: new Date(rt.clock.now()).toISOString(),
    level: 'info',
    service: 'tailsvc',
    message,
    ...extra,
  });

  it('a record ingested while tailing reaches the client within 2 s', async () => {
    await ingest([rec('before the tail started')]);
    const tail = openTail(`${rt.url}/api/v1/logs/tail?service=tailsvc`, rt.adminKey);
    await tail.ready;
    try {
      for (const n of [1, 2, 3]) {
        const sent = Date.now();
        await ingest([rec(`live line ${n}`)]);
        await until(() => tail.events.find((e) => e.record.message === `live line ${n}`), 2000);
        expect(Date.now() - sent).toBeLessThan(2000);
      }
      expect(tail.events.map((e) => e.record.message)).toEqual(['live line 1', 'live line 2', 'live line 3']);
    } finally {
      await tail.close();
    }
  });

  it('filters like search: service, level, text', async () => {
    const tail = openTail(`${rt.url}/api/v1/logs/tail?service=tailsvc&level=warn&text=disk`, rt.adminKey);
    await tail.ready;
    try {
      await ingest([
        rec('disk almost full', { level: 'warn' }),
        rec('disk fine', { level: 'info' }),
        rec('cpu hot', { level: 'error' }),
        { ...rec('disk gone', { level: 'fatal' }), service: 'other' },
        rec('disk failed', { level: 'error' }),
      ]);
      await until(() => (tail.events.length >= 2 ? true : undefined), 3000);
      await new Promise((r) => setTimeout(r, 700));
      expect(tail.events.map((e) => e.record.message).sort()).toEqual(['disk almost full', 'disk failed']);
    } finally {
      await tail.close();
    }
  });

  it('reconnecting with Last-Event-ID misses nothing and repeats nothing', async () => {
    const first = openTail(`${rt.url}/api/v1/logs/tail?service=tailsvc`, rt.adminKey);
    await first.ready;
    const t = rt.clock.now();
    const at = (ms: number) => new Date(ms).toISOString();
    await ingest([rec('seen before the drop', { timestamp: at(t) })]);
    await until(() => first.events.find((e) => e.record.message === 'seen before the drop'), 3000);
    await first.close();
    const resumeFrom = first.lastId();
    expect(resumeFrom).not.toBe('');

    // While disconnected: same timestamp as the last one seen, a late record with an older
    // timestamp, a batch over two streams, and OTLP and Loki pushes.
    await ingest([rec('same millisecond', { timestamp: at(t) })]);
    await ingest([rec('late arrival', { timestamp: at(t - 60_000) })]);
    await ingest([
      rec('batch a', { timestamp: at(t + 1) }),
      rec('batch b', { timestamp: at(t + 2), level: 'error' }),
      rec('batch c', { timestamp: at(t + 3) }),
    ]);
    const ns = `${BigInt(t + 4) * 1_000_000n}`;
    const otlp = await rt.api('POST', '/v1/logs', {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tailsvc' } }] },
          scopeLogs: [
            { logRecords: [{ timeUnixNano: ns, severityNumber: 9, body: { stringValue: 'via otlp' } }] },
          ],
        },
      ],
    });
    expect(otlp.status).toBe(200);
    const loki = await rt.api('POST', '/loki/api/v1/push', {
      streams: [{ stream: { service: 'tailsvc' }, values: [[ns, 'via loki']] }],
    });
    expect(loki.status).toBe(204);

    const second = openTail(`${rt.url}/api/v1/logs/tail?service=tailsvc`, rt.adminKey, resumeFrom);
    try {
      const want = [
        'same millisecond',
        'late arrival',
        'batch a',
        'batch b',
        'batch c',
        'via otlp',
        'via loki',
      ];
      await until(() => (second.events.length >= want.length ? true : undefined), 5000);
      // A little longer, so a duplicate would have time to show up.
      await ingest([rec('after the reconnect')]);
      await until(() => second.events.find((e) => e.record.message === 'after the reconnect'), 3000);
      await new Promise((r) => setTimeout(r, 700));
      const got = second.events.map((e) => e.record.message);
      expect(got.slice(0, 2)).toEqual(['same millisecond', 'late arrival']);
      expect([...got].sort()).toEqual([...want, 'after the reconnect'].sort());
      expect(new Set(second.events.map((e) => e.id)).size).toBe(second.events.length);
    } finally {
      await second.close();
    }
  });

  it('resumes from the middle of a batch by the id of the last event seen', async () => {
    const start = openTail(`${rt.url}/api/v1/logs/tail?service=tailsvc`, rt.adminKey);
    await start.ready;
    await ingest(['one', 'two', 'three', 'four'].map((m) => rec(`mid ${m}`)));
    await until(() => (start.events.length >= 4 ? true : undefined), 3000);
    await start.close();
    const second = start.events[1];
    expect(second.record.message).toBe('mid two');
    const again = openTail(`${rt.url}/api/v1/logs/tail?service=tailsvc`, rt.adminKey, second.id);
    try {
      await until(() => (again.events.length >= 2 ? true : undefined), 3000);
      await new Promise((r) => setTimeout(r, 700));
      expect(again.events.map((e) => e.record.message)).toEqual(['mid three', 'mid four']);
    } finally {
      await again.close();
    }
  });

  it('long poll: cursor and wait, for clients that cannot stream', async () => {
    const first = await rt.api('GET', '/api/v1/logs/tail?service=tailsvc');
    expect(first.status).toBe(200);
    expect(first.body.records).toEqual([]);
    const cursor = first.body.nextCursor as string;
    const waiting = rt.api('GET', `/api/v1/logs/tail?service=tailsvc&cursor=${cursor}&wait=10s`);
    await new Promise((r) => setTimeout(r, 300));
    await ingest([rec('polled line')]);
    const got = await waiting;
    expect(got.status).toBe(200);
    expect(got.body.records.map((r: LogRecord) => r.message)).toEqual(['polled line']);
    const next = await rt.api('GET', `/api/v1/logs/tail?service=tailsvc&cursor=${got.body.nextCursor}`);
    expect(next.body.records).toEqual([]);
    const again = await rt.api('GET', `/api/v1/logs/tail?service=tailsvc&cursor=${cursor}`);
    expect(again.body.records.map((r: LogRecord) => r.message)).toEqual(['polled line']);
  });

  it('rejects a cursor or Last-Event-ID it did not issue with problem+json', async () => {
    const bad = await rt.api('GET', '/api/v1/logs/tail?cursor=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(bad.body.errors)).toContain('cursor');
    const badId = await rt.api('GET', '/api/v1/logs/tail', undefined, {
      headers: { 'last-event-id': 'x.y', accept: 'text/event-stream' },
    });
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body.errors)).toContain('Last-Event-ID');
  });
});
