import type { Chart } from './model';

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const fixed = (x: number) => String(Math.round(x * 10) / 10);
const label = (v: number) => String(Number(v.toPrecision(3)));

/** A horizontal bar chart. */
function bars(chart: Extract<Chart, { kind: 'bars' }>): string {
  const max = Math.max(1e-9, ...chart.values.map(([, v]) => v));
  const rows = chart.values.map(([k, v], i) => {
    const w = (Math.max(0, v) / max) * 220;
    return `<g transform="translate(0,${i * 22 + 20})"><text x="0" y="15" font-size="12">${esc(k)}</text><rect x="110" y="4" height="14" width="${fixed(w)}" fill="#2563eb"/><text x="${fixed(116 + w)}" y="15" font-size="12">${label(v)}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="${chart.values.length * 22 + 24}" role="img" aria-label="${esc(chart.title)}"><text x="0" y="13" font-size="13" font-weight="bold">${esc(chart.title)}</text>${rows.join('')}</svg>`;
}

/** A line chart over time, with an optional reference line. */
function line(chart: Extract<Chart, { kind: 'line' }>): string {
  const W = 480;
  const H = 160;
  const pad = { left: 48, right: 8, top: 20, bottom: 22 };
  const ts = chart.points.map(([t]) => t);
  const vs = chart.points.map(([, v]) => v);
  if (chart.reference) vs.push(chart.reference.value);
  const [t0, t1] = [Math.min(...ts), Math.max(...ts)];
  let [v0, v1] = [Math.min(...vs), Math.max(...vs)];
  if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
  const x = (t: number) => pad.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - v0) / (v1 - v0)) * (H - pad.top - pad.bottom);
  const path = chart.points.map(([t, v], i) => `${i ? 'L' : 'M'}${fixed(x(t))},${fixed(y(v))}`).join('');
  const ref = chart.reference
    ? `<line x1="${pad.left}" x2="${W - pad.right}" y1="${fixed(y(chart.reference.value))}" y2="${fixed(y(chart.reference.value))}" stroke="#dc2626" stroke-dasharray="4 3"/><text x="${W - pad.right}" y="${fixed(y(chart.reference.value) - 3)}" font-size="10" text-anchor="end" fill="#dc2626">${esc(chart.reference.label)}</text>`
    : '';
  const day = (t: number) => new Date(t).toISOString().slice(5, 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(chart.title)}"><text x="0" y="13" font-size="13" font-weight="bold">${esc(chart.title)}</text><text x="${pad.left - 4}" y="${fixed(y(v1) + 4)}" font-size="10" text-anchor="end">${label(v1)}</text><text x="${pad.left - 4}" y="${fixed(y(v0))}" font-size="10" text-anchor="end">${label(v0)}</text><text x="${pad.left}" y="${H - 6}" font-size="10">${day(t0)}</text><text x="${W - pad.right}" y="${H - 6}" font-size="10" text-anchor="end">${day(t1)}</text><line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#9ca3af"/>${ref}<path d="${path}" fill="none" stroke="#2563eb" stroke-width="1.5"/></svg>`;
}

/** The chart as a standalone inline SVG element (no external assets). */
export function svg(chart: Chart): string {
  if (chart.kind === 'bars') return bars(chart);
  return chart.points.length ? line(chart) : '';
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** The chart as text for Markdown and plain-text mail: a table of bars or a sparkline. */
export function textChart(chart: Chart): string[] {
  if (chart.kind === 'bars')
    return [`**${chart.title}**`, '', ...chart.values.map(([k, v]) => `- ${k}: ${label(v)}`), ''];
  if (!chart.points.length) return [];
  const vs = chart.points.map(([, v]) => v);
  const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
  // At most 48 characters: average neighbouring points.
  const width = Math.min(48, vs.length);
  const spark = Array.from({ length: width }, (_, i) => {
    const part = vs.slice(Math.floor((i * vs.length) / width), Math.floor(((i + 1) * vs.length) / width));
    const v = part.reduce((a, b) => a + b, 0) / part.length;
    return BLOCKS[hi === lo ? 0 : Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))];
  }).join('');
  return [
    `**${chart.title}**: \`${spark}\` (${label(lo)}–${label(hi)}${chart.unit ? ` ${chart.unit}` : ''})`,
    '',
  ];
}
