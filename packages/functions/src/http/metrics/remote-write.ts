import { ValidationError } from '@vigil/core';
import type { SeriesInput } from '@vigil/core/events';
import { type Sample, staleSample } from '@vigil/core/metrics';
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

/**
 * Samples are decoded by the generated decoder, then — only when the value is a NaN — their
 * bytes are read again to tell Prometheus's staleness marker by its exact bits: the NaN number
 * the decoder made may have lost its payload.
 */
const SampleType = root.lookupType('Sample').setup();
const decodeSampleFields = SampleType.decode;
SampleType.decode = function decodeSample(reader, length?: number, ...rest: unknown[]) {
  const r = reader as protobuf.Reader;
  const start = r.pos;
  const sample = (decodeSampleFields as (...args: unknown[]) => DecodedSample).call(
    this,
    reader,
    length,
    ...rest,
  );
  if (typeof sample.value === 'number' && Number.isNaN(sample.value) && length !== undefined)
    sample.stale = staleValueField(r.buf, start, start + length);
  return sample as unknown as protobuf.Message;
};

/** Whether the last `value` field (1, fixed64) of the Sample bytes in [from, to) is the marker. */
function staleValueField(buf: Uint8Array, from: number, to: number): boolean {
  let stale = false;
  let at = from;
  const varint = () => {
    let n = 0;
    let scale = 1;
    while (at < to) {
      const b = buf[at++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    return n;
  };
  while (at < to) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 1) {
      if (tag >>> 3 === 1) {
        // Little-endian 0x7ff0000000000002, the quiet bit (0x08 of byte 6) either way.
        stale =
          buf[at] === 2 &&
          buf[at + 1] === 0 &&
          buf[at + 2] === 0 &&
          buf[at + 3] === 0 &&
          buf[at + 4] === 0 &&
          buf[at + 5] === 0 &&
          (buf[at + 6] & ~0x08) === 0xf0 &&
          buf[at + 7] === 0x7f;
      }
      at += 8;
    } else if (wire === 0) varint();
    else if (wire === 2) at += varint();
    else if (wire === 5) at += 4;
    else break;
  }
  return stale;
}

interface DecodedSample {
  value?: number;
  timestamp?: number | { toNumber(): number };
  /** Set when the value is a NaN whose stored bits are the staleness marker. */
  stale?: boolean;
}

interface DecodedSeries {
  labels?: Array<{ name?: string; value?: string }>;
  samples?: DecodedSample[];
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
      // A staleness marker is flagged by its bytes (see decodeSample) and carried as a flag.
      samples: (ts.samples ?? []).map(
        (s): Sample => (s.stale ? staleSample(millis(s.timestamp)) : [millis(s.timestamp), s.value ?? 0]),
      ),
    };
  });
}
