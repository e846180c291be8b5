/** Number formatting shared by the report renderers: stable, short, locale-free. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(digits)));
}

/** A ratio as a percentage (0.9953 → "99.53 %"). */
export function pct(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** A value with its unit (`0.15 s`, `93 %` for ratios). */
export function withUnit(value: number | null | undefined, unit: string): string {
  if (unit === 'ratio') return pct(value);
  const text = num(value);
  return unit && text !== '—' ? `${text} ${unit}` : text;
}

/** Hours as the largest sensible unit (`3.2 days`, `5.5 h`, `40 min`). */
export function duration(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return '—';
  if (hours >= 48) return `${num(hours / 24, 2)} days`;
  if (hours >= 1) return `${num(hours, 2)} h`;
  return `${Math.round(hours * 60)} min`;
}

/** A UTC timestamp without seconds (`2026-11-16 08:00 UTC`). */
export function when(iso: string | number): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
