import { describe, expect, it } from 'vitest';
import { emfSeries, isEmf } from './emf';

const emf = (directive: object, members: object, timestamp: unknown = 1_700_000_000_000) => ({
  _aws: { Timestamp: timestamp, CloudWatchMetrics: [directive] },
  ...members,
});

describe('emfSeries', () => {
  it('gives each metric once per dimension set, with the namespace as a label', () => {
    const record = emf(
      { Namespace: 'App', Dimensions: [['svc'], ['svc', 'op.name']], Metrics: [{ Name: 'req.count' }] },
      { svc: 'a', 'op.name': 'get', 'req.count': 3 },
    );
    expect(emfSeries(record, 0)).toEqual([
      { name: 'req_count', labels: { svc: 'a', namespace: 'App' }, samples: [[1_700_000_000_000, 3]] },
      {
        name: 'req_count',
        labels: { svc: 'a', op_name: 'get', namespace: 'App' },
        samples: [[1_700_000_000_000, 3]],
      },
    ]);
  });

  it('spreads an array value 1 ms apart and takes the fallback time without _aws.Timestamp', () => {
    const record = emf(
      { Namespace: 'N', Dimensions: [[]], Metrics: [{ Name: 'lat' }] },
      { lat: [5, 'x', 7] },
      null,
    );
    expect(emfSeries(record, 1000)).toEqual([
      {
        name: 'lat',
        labels: { namespace: 'N' },
        samples: [
          [1000, 5],
          [1001, 7],
        ],
      },
    ]);
  });

  it('skips dimension sets naming a missing member, non-numeric values and nameless metrics', () => {
    const record = emf(
      { Namespace: 'N', Dimensions: [['gone'], ['svc']], Metrics: [{ Name: 'ok' }, { Name: 'bad' }, {}] },
      { svc: 's', ok: 1, bad: 'high' },
    );
    expect(emfSeries(record, 0)).toEqual([
      { name: 'ok', labels: { svc: 's', namespace: 'N' }, samples: [[1_700_000_000_000, 1]] },
    ]);
    expect(emfSeries(emf({ Dimensions: [], Metrics: [{ Name: 'ok' }] }, { ok: 1 }), 0)).toEqual([]);
  });

  it('gives nothing for records that are not EMF', () => {
    for (const r of [null, 'x', { _aws: {} }, { _aws: { CloudWatchMetrics: {} } }, { message: '_aws' }]) {
      expect(isEmf(r)).toBe(false);
      expect(emfSeries(r, 0)).toEqual([]);
    }
  });
});
