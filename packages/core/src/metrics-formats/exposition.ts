import type { FieldError } from '../errors';
import type { SeriesInput } from '../events';
import { parseSampleValue } from '../metrics/series';

export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

/** The result of reading a text exposition: series, metadata and the lines that were wrong. */
export interface ExpositionResult {
  series: SeriesInput[];
  metadata: Record<string, MetricMetadata>;
  errors: FieldError[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
/** A label name starting at `lastIndex`. */
const LABEL_AT = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Parses the Prometheus text exposition format 0.0.4: HELP and TYPE lines, samples with
 * escaped label values, NaN/±Inf values and optional millisecond timestamps (`defaultTime` when
 * absent). Errors name the line.
 */
export function parseExposition(text: string, defaultTime: number): ExpositionResult {
  const bySeries = new Map<string, SeriesInput>();
  const metadata: Record<string, MetricMetadata> = {};
  const errors: FieldError[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (/^\s*$/.test(line)) return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
      if (!m) return;
      metadata[m[2]] ??= { type: 'unknown', help: '', unit: '' };
      const meta = metadata[m[2]];
      if (m[1] === 'HELP') meta.help = (m[3] ?? '').replace(/\\(\\|n)/g, (_, c) => (c === 'n' ? '\n' : '\\'));
      else {
        const type = (m[3] ?? '').trim();
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type))
          errors.push({ field: `line ${index + 1}`, message: `unknown metric type '${type}'` });
        else meta.type = type === 'untyped' ? 'unknown' : type;
      }
      return;
    }
    try {
      const { name, labels, value, time } = parseSampleLine(line.trim());
      const key = seriesKey(name, labels);
      let series = bySeries.get(key);
      if (!series) {
        series = { name, labels, samples: [] };
        bySeries.set(key, series);
      }
      series.samples.push([time ?? defaultTime, value]);
    } catch (error) {
      errors.push({ field: `line ${index + 1}`, message: (error as Error).message });
    }
  });
  return { series: [...bySeries.values()], metadata, errors };
}

/** Equal for lines of the same series, whatever the order of their labels. */
function seriesKey(name: string, labels: Record<string, string>): string {
  let key = `${name.length}:${name}`;
  for (const k of Object.keys(labels).sort()) key += `${k.length}:${k}${labels[k].length}:${labels[k]}`;
  return key;
}

function parseSampleLine(line: string): {
  name: string;
  labels: Record<string, string>;
  value: number;
  time?: number;
} {
  const nameMatch = NAME.exec(line);
  if (!nameMatch) throw new Error(`expected a metric name at the start of '${line.slice(0, 40)}'`);
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      LABEL_AT.lastIndex = i;
      const label = LABEL_AT.exec(line);
      if (!label) throw new Error(`invalid label name at column ${i + 1}`);
      i += label[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') throw new Error(`expected '=' after label name '${label[0]}'`);
      i++;
      while (line[i] === ' ') i++;
      if (line[i] !== '"') throw new Error(`expected a quoted value for label '${label[0]}'`);
      i++;
      // Runs of plain characters are sliced, not added one by one.
      let value = '';
      let start = i;
      for (;;) {
        const c = line.charCodeAt(i);
        if (Number.isNaN(c)) throw new Error(`unterminated value of label '${label[0]}'`);
        if (c === QUOTE) {
          value += line.slice(start, i);
          i++;
          break;
        }
        if (c === BACKSLASH) {
          value += line.slice(start, i);
          const next = line[i + 1];
          value += next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : `\\${next}`;
          i += 2;
          start = i;
          continue;
        }
        i++;
      }
      if (label[0] in labels) throw new Error(`duplicate label '${label[0]}'`);
      labels[label[0]] = value;
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`expected ',' or '}' after label '${label[0]}'`);
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (!rest[0]) throw new Error(`missing value for '${name}'`);
  const value = parseSampleValue(rest[0]);
  if (value === undefined) throw new Error(`invalid value '${rest[0]}'`);
  let time: number | undefined;
  if (rest[1] !== undefined) {
    if (!/^-?\d+$/.test(rest[1])) throw new Error(`invalid timestamp '${rest[1]}'`);
    time = Number(rest[1]);
  }
  if (rest.length > 2) throw new Error(`unexpected text after the timestamp: '${rest.slice(2).join(' ')}'`);
  return { name, labels, value, time };
}
