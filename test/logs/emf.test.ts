import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionEvent } from '../support/cloudwatch';
import { startTestRuntime } from '../support/runtime';

const root = new URL('../../', import.meta.url).pathname;

/** One EMF line exactly as Powertools Metrics prints it, from a process of its own. */
function powertoolsEmfLine(): string {
  const script = `
    import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
    const metrics = new Metrics({ namespace: 'Checkout', serviceName: 'orders', defaultDimensions: { environment: 'prod' } });
    metrics.addDimension('region', 'eu-west-1');
    metrics.addMetric('successfulBooking', MetricUnit.Count, 1);
    metrics.addMetric('latency.p', MetricUnit.Milliseconds, 12.5);
    metrics.addMetric('latency.p', MetricUnit.Milliseconds, 40);
    metrics.addMetadata('bookingId', 'b-42');
    metrics.publishStoredMetrics();`;
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('POWERTOOLS_')) delete env[k];
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env });
  const line = out
    .toString('utf8')
    .split('\n')
    .find((l) => l.includes('"_aws"'));
  if (!line) throw new Error(`Powertools printed no EMF line: ${out}`);
  return line;
}

describe('EMF log lines become metrics', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.cleanup());

  const query = async (expr: string, atMs: number) => {
    const res = await rt.api(
      'GET',
      `/api/v1/query?query=${encodeURIComponent(expr)}&time=${(atMs / 1000).toFixed(3)}`,
    );
    expect(res.status, res.text).toBe(200);
    return res.body.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
  };

  it('from a CloudWatch subscription event carrying a real Powertools Metrics line', async () => {
    const line = powertoolsEmfLine();
    const emf = JSON.parse(line);
    const t = emf._aws.Timestamp as number;
    await rt.setClock(t + 500);
    const result = await rt.invoke(
      'ingest-cloudwatch-logs',
      subscriptionEvent({
        messageType: 'DATA_MESSAGE',
        logGroup: '/aws/lambda/orders-api',
        logStream: '2026/11/29/[$LATEST]abc',
        logEvents: [
          { id: '1', timestamp: t - 5, message: 'START RequestId: r-1 Version: $LATEST\n' },
          { id: '2', timestamp: t, message: `${line}\n` },
        ],
      }),
    );
    expect(result).toEqual({ accepted: 2, rejected: 0, metrics: { accepted: 3, rejected: 0 } });

    const booking = await query('successfulBooking', t + 1000);
    expect(booking).toEqual([
      {
        metric: {
          __name__: 'successfulBooking',
          namespace: 'Checkout',
          service: 'orders',
          environment: 'prod',
          region: 'eu-west-1',
        },
        value: [expect.any(Number), '1'],
      },
    ]);
    // The array value [12.5, 40] is two observations under the sanitized name.
    const [count] = await query('count_over_time(latency_p{namespace="Checkout"}[1m])', t + 1000);
    expect(count.value[1]).toBe('2');
    const [max] = await query('max_over_time(latency_p[1m])', t + 1000);
    expect(max.value[1]).toBe('40');
    // The line is still a log record too.
    const since = new Date(t - 60_000).toISOString();
    const logs = await rt.api(
      'GET',
      `/api/v1/logs/search?start=${since}&service=orders&field=bookingId%3Db-42`,
    );
    expect(logs.body.records).toHaveLength(1);
  });

  it('from JSON records posted to /api/v1/logs, one sample per dimension set', async () => {
    const t = rt.clock.now() + 60_000;
    await rt.setClock(t);
    const res = await rt.api('POST', '/api/v1/logs', [
      {
        _aws: {
          Timestamp: t - 100,
          CloudWatchMetrics: [
            {
              Namespace: 'Shop/Cart',
              Dimensions: [['service'], ['service', 'tier']],
              Metrics: [{ Name: 'cart-items', Unit: 'Count' }],
            },
          ],
        },
        service: 'cart',
        tier: 'gold',
        'cart-items': 7,
        message: 'cart updated',
      },
      { service: 'cart', message: 'no metrics here', 'cart-items': 9 },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 0, metrics: { accepted: 2, rejected: 0 } });
    const series = await query('cart_items', t);
    expect(series.map((s) => s.metric).sort((a, b) => Object.keys(a).length - Object.keys(b).length)).toEqual(
      [
        { __name__: 'cart_items', namespace: 'Shop/Cart', service: 'cart' },
        { __name__: 'cart_items', namespace: 'Shop/Cart', service: 'cart', tier: 'gold' },
      ],
    );
    for (const s of series) expect(s.value[1]).toBe('7');

    const plain = await rt.api('POST', '/api/v1/logs', [{ service: 'cart', message: 'plain' }]);
    expect(plain.body.metrics).toBeUndefined();
  });
});
