import { ValidationError } from '../errors';
import { type Level, type LogRecord, levelRank } from './record';

/** A log search, as `/api/v1/logs/search` takes it. */
export interface LogQuery {
  services?: string[];
  /** At or above this level. */
  level?: Level;
  /** Case-insensitive substrings, all required. */
  text: string[];
  regex?: RegExp;
  fields: FieldFilter[];
  start: number;
  end: number;
}

export interface FieldFilter {
  field: string;
  op: '=' | '!=' | '>' | '<' | '>=' | '<=';
  value: string;
}

/** Parses `field=value`, `field!=value`, `field>10` filters. */
export function parseFieldFilter(text: string): FieldFilter {
  const m = /^([\w.@-]+)\s*(!=|>=|<=|=|>|<)\s*(.*)$/.exec(text);
  if (!m)
    throw new ValidationError(
      `'${text}' is not a field filter such as route=/x, status!=200 or duration_ms>500`,
      [{ field: 'field', message: 'expected name=value, name!=value, name>n or name<n' }],
    );
  return { field: m[1], op: m[2] as FieldFilter['op'], value: m[3] };
}

function fieldValue(record: LogRecord, path: string): unknown {
  if (path in record && path !== 'attributes') return (record as unknown as Record<string, unknown>)[path];
  let v: unknown = record.attributes;
  for (const part of path.replace(/^attributes\./, '').split('.')) {
    if (v && typeof v === 'object' && part in (v as Record<string, unknown>))
      v = (v as Record<string, unknown>)[part];
    else return (record.attributes as Record<string, unknown>)[path];
  }
  return v;
}

function fieldMatches(record: LogRecord, f: FieldFilter): boolean {
  const v = fieldValue(record, f.field);
  if (f.op === '=' || f.op === '!=') {
    const equal = v !== undefined && String(typeof v === 'object' ? JSON.stringify(v) : v) === f.value;
    return f.op === '=' ? equal : !equal;
  }
  const x = Number(v);
  const y = Number(f.value);
  if (v === undefined || v === null || Number.isNaN(x) || Number.isNaN(y)) return false;
  return f.op === '>' ? x > y : f.op === '<' ? x < y : f.op === '>=' ? x >= y : x <= y;
}

/** Whether one record satisfies the whole query. */
export function matchesQuery(
  record: LogRecord,
  q: LogQuery,
  lowerMessage = record.message.toLowerCase(),
): boolean {
  const t = Date.parse(record.timestamp);
  if (t < q.start || t > q.end) return false;
  if (q.services && !q.services.includes(record.service)) return false;
  if (q.level && levelRank(record.level) < levelRank(q.level)) return false;
  for (const term of q.text) if (!lowerMessage.includes(term.toLowerCase())) return false;
  if (q.regex && !q.regex.test(record.message)) return false;
  return q.fields.every((f) => fieldMatches(record, f));
}
