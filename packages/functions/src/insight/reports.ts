import { randomUUID } from 'node:crypto';
import type { Platform } from '../platform/context';
import type { Report } from './context';
import { insight } from './context';
import { findings, summary } from './summary';

const escape = (s: unknown) =>
  String(s).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );

function bars(values: Record<string, number>): string {
  const entries = Object.entries(values);
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const rows = entries.map(
    ([k, v], i) =>
      `<g transform="translate(0,${i * 22})"><text x="0" y="15" font-size="12">${escape(k)}</text><rect x="60" y="4" height="14" width="${(v / max) * 220}" fill="#2563eb"/><text x="${66 + (v / max) * 220}" y="15" font-size="12">${v}</text></g>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="340" height="${entries.length * 22 + 4}" role="img" aria-label="bar chart">${rows.join('')}</svg>`;
}

/** Builds a report of the given type over the last day or week, as JSON, Markdown and HTML. */
export async function buildReport(
  type: Report['type'],
  now: number,
  days = 7,
): Promise<Omit<Report, 'version'>> {
  const s = await summary(now);
  const found = findings(s);
  const period = { start: new Date(now - days * 86_400_000).toISOString(), end: new Date(now).toISOString() };
  const title = `Vigil ${type} report, ${period.start.slice(0, 10)} to ${period.end.slice(0, 10)}`;
  const md = [
    `# ${title}`,
    '',
    '## Service level objectives',
    '',
    '| SLO | state | SLI | budget left |',
    '|---|---|---|---|',
    ...s.slos.map(
      (x) =>
        `| ${x.name} | ${x.state} | ${x.sli ?? '—'} | ${x.budgetRemaining === null ? '—' : `${Math.round(x.budgetRemaining * 100)} %`} |`,
    ),
    '',
    '## Incidents',
    '',
    `${s.incidentsLast7Days.count} incidents in the last 7 days (${Object.entries(
      s.incidentsLast7Days.bySeverity,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(
        ', ',
      )}); MTTA ${s.incidentsLast7Days.mttaMinutes ?? '—'} min, MTTR ${s.incidentsLast7Days.mttrMinutes ?? '—'} min; ${s.openIncidents.count} open.`,
    '',
    '## Findings',
    '',
    ...found.map((f) => `- **${f.severity}** ${f.title}. ${f.recommendation}`),
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:760px;margin:auto">
<h1>${escape(title)}</h1>
<h2>Service level objectives</h2><table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>SLO</th><th>state</th><th>SLI</th><th>budget left</th></tr>${s.slos.map((x) => `<tr><td>${escape(x.name)}</td><td>${escape(x.state)}</td><td>${escape(x.sli ?? '—')}</td><td>${x.budgetRemaining === null ? '—' : `${Math.round(x.budgetRemaining * 100)} %`}</td></tr>`).join('')}</table>
<h2>Incidents by severity (7 days)</h2>${bars(s.incidentsLast7Days.bySeverity)}
<p>MTTA ${escape(s.incidentsLast7Days.mttaMinutes ?? '—')} min · MTTR ${escape(s.incidentsLast7Days.mttrMinutes ?? '—')} min · ${s.openIncidents.count} open</p>
<h2>Findings</h2><ul>${found.map((f) => `<li><strong>${escape(f.severity)}</strong> ${escape(f.title)}. ${escape(f.recommendation)}</li>`).join('')}</ul>
</body></html>`;
  return {
    id: `rep_${now.toString(36)}${randomUUID().slice(0, 4)}`,
    type,
    period,
    generatedAt: new Date(now).toISOString(),
    json: { title, summary: s, findings: found },
    markdown: md,
    html,
  };
}

/** Generates, stores and mails a report through the notifications topic. */
export async function generateAndSend(
  platform: Platform,
  type: Report['type'],
  now: number,
  days = 7,
): Promise<Report> {
  const report = await insight().reports.create(await buildReport(type, now, days));
  await platform.publisher.publish({
    topic: 'notifications',
    subject: String(report.json.title).slice(0, 100),
    message: {
      default: JSON.stringify({ report: report.id, type, period: report.period }),
      email: report.markdown,
    },
    attributes: { channel: 'email', severity: 'info', receiver: 'reports', kind: 'report' },
  });
  return report;
}
