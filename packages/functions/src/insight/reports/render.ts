import type { Cell, ReportContent } from './model';
import { svg, textChart } from './svg';

const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
const cell = (c: Cell) => (c === null ? '—' : String(c));
const mdCell = (c: Cell) => cell(c).replaceAll('|', '\\|');

/** The report as Markdown (also the plain-text part of its email). */
export function toMarkdown(r: ReportContent): string {
  const out = [`# ${r.title}`, '', `Period: ${r.period.start} to ${r.period.end}`, ''];
  out.push(...r.headline.map((h) => `- ${h}`), '');
  for (const s of r.sections) {
    out.push(`## ${s.heading}`, '');
    if (s.lines?.length) out.push(...s.lines, '');
    if (s.table?.rows.length)
      out.push(
        `| ${s.table.columns.map(mdCell).join(' | ')} |`,
        `|${s.table.columns.map(() => '---').join('|')}|`,
        ...s.table.rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
        '',
      );
    for (const c of s.charts ?? []) out.push(...textChart(c));
  }
  out.push('## Findings', '');
  out.push(...r.findings.map((f) => `- **${f.severity}** ${f.title}. ${f.recommendation}`), '');
  return out.join('\n');
}

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#b91c1c',
  high: '#c2410c',
  medium: '#a16207',
  low: '#1d4ed8',
  info: '#4b5563',
};

/** The report as one self-contained HTML document: inline styles and SVG, no external assets. */
export function toHtml(r: ReportContent): string {
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;max-width:800px;margin:auto;padding:16px;color:#111827">',
    `<h1 style="font-size:22px">${esc(r.title)}</h1>`,
    `<p style="color:#4b5563">${esc(r.period.start)} to ${esc(r.period.end)}</p>`,
    `<ul>${r.headline.map((h) => `<li>${esc(h)}</li>`).join('')}</ul>`,
  ];
  for (const s of r.sections) {
    parts.push(`<h2 id="${esc(s.id)}" style="font-size:18px">${esc(s.heading)}</h2>`);
    for (const l of s.lines ?? []) parts.push(`<p>${esc(l)}</p>`);
    if (s.table?.rows.length)
      parts.push(
        '<table style="border-collapse:collapse;font-size:14px">',
        `<tr>${s.table.columns.map((c) => `<th style="text-align:left;border-bottom:2px solid #d1d5db;padding:4px 8px">${esc(c)}</th>`).join('')}</tr>`,
        ...s.table.rows.map(
          (row) =>
            `<tr>${row.map((c) => `<td style="border-bottom:1px solid #e5e7eb;padding:4px 8px">${esc(cell(c))}</td>`).join('')}</tr>`,
        ),
        '</table>',
      );
    for (const c of s.charts ?? []) parts.push(`<figure style="margin:12px 0">${svg(c)}</figure>`);
  }
  parts.push('<h2 style="font-size:18px">Findings</h2><ul>');
  for (const f of r.findings)
    parts.push(
      `<li><strong style="color:${SEVERITY_COLOURS[f.severity] ?? '#111827'}">${esc(f.severity)}</strong> ${esc(f.title)}. ${esc(f.recommendation)}</li>`,
    );
  parts.push('</ul></body></html>', '');
  return parts.join('\n');
}
