import { ValidationError } from '@vigil/core';
import { type AnyValue, anyValueText, type KeyValue } from '@vigil/core/metrics-formats';

const hexOrBase64 = (v: string | undefined) =>
  v ? (/^[0-9a-fA-F]+$/.test(v) ? v.toLowerCase() : Buffer.from(v, 'base64').toString('hex')) : undefined;

function anyValue(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.kvlistValue)
    return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return anyValueText(v);
}

const attrs = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));

/** OTLP/HTTP JSON logs → Vigil records (severity, resource attributes, any body, trace ids). */
export function otlpLogsToRecords(body: unknown): unknown[] {
  const root = body as {
    resourceLogs?: Array<{
      resource?: { attributes?: KeyValue[] };
      scopeLogs?: Array<{ logRecords?: Array<Record<string, any>> }>;
    }>;
  };
  if (!root || typeof root !== 'object' || !Array.isArray(root.resourceLogs))
    throw new ValidationError('an OTLP logs export has resourceLogs[]', [
      { field: 'resourceLogs', message: 'required array' },
    ]);
  const out: unknown[] = [];
  for (const rl of root.resourceLogs) {
    const resource = attrs(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const lr of sl.logRecords ?? []) {
        const bodyValue = anyValue(lr.body);
        const record: Record<string, unknown> = {
          timestamp:
            lr.timeUnixNano && lr.timeUnixNano !== '0'
              ? String(lr.timeUnixNano)
              : lr.observedTimeUnixNano
                ? String(lr.observedTimeUnixNano)
                : undefined,
          level: lr.severityText || lr.severityNumber || undefined,
          message: typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue ?? ''),
          service: resource['service.name'],
          trace_id: hexOrBase64(lr.traceId),
          span_id: hexOrBase64(lr.spanId),
          attributes: {
            ...Object.fromEntries(
              Object.entries(resource)
                .filter(([k]) => k !== 'service.name')
                .map(([k, v]) => [`resource.${k}`, v]),
            ),
            ...attrs(lr.attributes),
          },
        };
        out.push(record);
      }
    }
  }
  return out;
}

/** Loki push (JSON): streams of [ns, line] (and optional structured metadata) → records. */
export function lokiPushToRecords(body: unknown): unknown[] {
  const root = body as {
    streams?: Array<{
      stream?: Record<string, string>;
      values?: Array<[string, string, Record<string, string>?]>;
    }>;
  };
  if (!root || typeof root !== 'object' || !Array.isArray(root.streams))
    throw new ValidationError('a Loki push has streams[]', [{ field: 'streams', message: 'required array' }]);
  const out: unknown[] = [];
  root.streams.forEach((s, i) => {
    const labels = s.stream ?? {};
    if (!Array.isArray(s.values))
      throw new ValidationError(`streams.${i}.values must be an array of [ns, line]`, [
        { field: `streams.${i}.values`, message: 'required array' },
      ]);
    for (const v of s.values) {
      out.push({
        timestamp: v?.[0],
        message: v?.[1],
        level: labels.level ?? labels.severity ?? labels.detected_level,
        service: labels.service ?? labels.service_name ?? labels.app ?? labels.job,
        source: 'loki',
        attributes: {
          ...Object.fromEntries(
            Object.entries(labels).filter(
              ([k]) => !['level', 'severity', 'service', 'service_name'].includes(k),
            ),
          ),
          ...(v?.[2] ?? {}),
        },
      });
    }
  });
  return out;
}

/** The service a log group's events are stored under unless a line names its own. */
export const cloudWatchService = (logGroup: string) =>
  logGroup
    .replace(/^\/aws\/lambda\//, '')
    .replace(/[^\w.:-]/g, '_')
    .slice(0, 100) || 'cloudwatch';

/** A CloudWatch Logs subscription event: base64 gzip JSON; control messages carry no logs. */
export function cloudWatchToRecords(payload: {
  logGroup: string;
  logStream: string;
  messageType: string;
  logEvents: Array<{ id: string; timestamp: number; message: string }>;
}): unknown[] {
  if (payload.messageType === 'CONTROL_MESSAGE') return [];
  const service = cloudWatchService(payload.logGroup);
  return payload.logEvents.map((e) => {
    const text = e.message.trimEnd();
    let parsed: Record<string, unknown> | undefined;
    if (text.startsWith('{')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return {
      timestamp: e.timestamp,
      service,
      source: 'cloudwatch',
      ...(parsed ?? { message: text }),
      attributes: { logGroup: payload.logGroup, logStream: payload.logStream, eventId: e.id },
    };
  });
}
