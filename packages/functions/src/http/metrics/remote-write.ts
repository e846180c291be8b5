import { ValidationError } from '@vigil/core';
import type { SeriesInput } from '@vigil/core/events';
import { type Sample, staleSample } from '@vigil/core/metrics';
import { isStaleNaN } from '@vigil/core/promql';
import protobuf from 'protobufjs';
import { uncompress } from 'snappyjs';

/** Prometheus remote-write 1.0 (prompb.WriteRequest); metadata (field 3) is ignored. */
const root = protobuf.Root.fromJSON({
  nested: {
    WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
    TimeSeries: {
      fields: {
        labels: { rule: 'repeated', type: 'Label', id: 1 },
        samples: { rule: 'repeated', type: 'Sample', id: 2 },
      },
    },
    Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
  },
});
/** The protobuf type of a remote-write body, for encoders (tests, tools) as well as the decoder. */
export const WriteRequest = root.lookupType('WriteRequest');

interface DecodedSeries {
  labels?: Array<{ name?: string; value?: string }>;
  samples?: Array<{ value?: number; timestamp?: number | { toNumber(): number } }>;
}

/** An int64 timestamp as protobufjs decodes it (a Long, or a number) in milliseconds. */
const millis = (t: number | { toNumber(): number } | undefined): number =>
  t === undefined ? 0 : typeof t === 'number' ? t : t.toNumber();

/** Decodes a snappy-compressed remote-write body into series (labels keep `__name__`). */
export function decodeRemoteWrite(body: Uint8Array): SeriesInput[] {
  let raw: Uint8Array;
  try {
    raw = uncompress(body);
  } catch (error) {
    throw new ValidationError(`the body is not snappy block-compressed: ${(error as Error).message}`, [
      { field: 'body', message: 'expected snappy block format' },
    ]);
  }
  // The decoded message is read as it is (absent fields read as their defaults from its
  // prototype); copying it with toObject cost as much as decoding.
  let decoded: { timeseries?: DecodedSeries[] };
  try {
    decoded = WriteRequest.decode(raw) as { timeseries?: DecodedSeries[] };
  } catch (error) {
    throw new ValidationError(`the body is not a prometheus WriteRequest: ${(error as Error).message}`, [
      { field: 'body', message: 'invalid protobuf' },
    ]);
  }
  return (decoded.timeseries ?? []).map((ts) => {
    const labels: Record<string, string> = {};
    let name = '';
    for (const l of ts.labels ?? []) {
      if (l.name === '__name__') name = l.value ?? '';
      else if (l.name) labels[l.name] = l.value ?? '';
    }
    return {
      name,
      labels,
      // A staleness marker is flagged here, right where it was decoded, and carried as a flag.
      samples: (ts.samples ?? []).map(
        (s): Sample =>
          s.value !== undefined && isStaleNaN(s.value)
            ? staleSample(millis(s.timestamp))
            : [millis(s.timestamp), s.value ?? 0],
      ),
    };
  });
}
