import { randomUUID } from 'node:crypto';
import { ConflictError } from '@vigil/core';
import type { Platform } from '../../platform/context';
import type { Report } from '../context';
import { insight } from '../context';
import { routeLatencyFindings } from '../latency-changes';
import { logVolumeFindings, snapshotLogVolume } from '../log-volume';
import { findings, summary } from '../summary';
import { executive, type Period, performance, trend, usageReport } from './gather';
import type { ReportContent, ReportType } from './model';
import { toHtml, toMarkdown } from './render';

export { REPORT_TYPES, type ReportContent, type ReportType } from './model';

const DAY = 86_400_000;
const BUILDERS = { executive, performance, trend, usage: usageReport } as const;
const TITLES: Record<ReportType, string> = {
  executive: 'Executive report',
  performance: 'Performance report',
  trend: 'Trend report',
  usage: 'Usage report',
};

/** What a report says over the `days` before `now`, ready to render. */
export async function reportContent(type: ReportType, now: number, days = 7): Promise<ReportContent> {
  const [s, latency, logs] = await Promise.all([
    summary(now),
    routeLatencyFindings(now),
    logVolumeFindings(),
  ]);
  const period: Period = { start: now - days * DAY, end: now, days, summary: s };
  const { headline, sections } = await BUILDERS[type](period);
  const start = new Date(period.start).toISOString();
  const end = new Date(now).toISOString();
  return {
    type,
    title: `Vigil ${TITLES[type].toLowerCase()}, ${start.slice(0, 10)} to ${end.slice(0, 10)}`,
    period: { start, end },
    generatedAt: end,
    headline,
    sections,
    findings: findings(s, [...latency, ...logs]),
  };
}

/** Builds a report of the given type over the last `days`, as JSON, Markdown and HTML. */
export async function buildReport(type: ReportType, now: number, days = 7): Promise<Omit<Report, 'version'>> {
  const content = await reportContent(type, now, days);
  const { title, headline, sections, findings: found } = content;
  return {
    id: `rep_${now.toString(36)}${randomUUID().slice(0, 4)}`,
    type,
    period: content.period,
    generatedAt: content.generatedAt,
    json: { title, headline, sections, findings: found },
    markdown: toMarkdown(content),
    html: toHtml(content),
  };
}

/** SNS's message limit is 256 KB; beyond this the HTML alternative is left out of the email. */
const MAX_MESSAGE_BYTES = 240 * 1024;

/**
 * Generates, stores and mails a report through the notifications topic: the Markdown as the
 * email text and the HTML as its alternative (`html`, which the local runtime's mailer sends as
 * the HTML part; SNS email subscriptions on AWS deliver the text).
 */
export async function generateAndSend(
  platform: Platform,
  type: ReportType,
  now: number,
  days = 7,
): Promise<Report> {
  const report = await insight().reports.create(await buildReport(type, now, days));
  const message = {
    default: JSON.stringify({ report: report.id, type, period: report.period }),
    email: report.markdown,
    html: report.html,
  };
  const size = Buffer.byteLength(JSON.stringify(message));
  await platform.publisher.publish({
    topic: 'notifications',
    subject: String(report.json.title).slice(0, 100),
    message: size > MAX_MESSAGE_BYTES ? { default: message.default, email: message.email } : message,
    attributes: { channel: 'email', severity: 'info', receiver: 'reports', kind: 'report' },
  });
  return report;
}

/** Which reports a cadence sends: a daily executive summary; on Mondays the full weekly set. */
export const CADENCES = {
  daily: { days: 1, types: ['executive'] },
  weekly: { days: 7, types: ['executive', 'performance', 'trend', 'usage'] },
} as const satisfies Record<string, { days: number; types: readonly ReportType[] }>;
export type Cadence = keyof typeof CADENCES;

/** The cadences due at a scheduled time: daily every day, weekly on Mondays (UTC). */
export function cadencesDue(scheduledAt: number): Cadence[] {
  return new Date(scheduledAt).getUTCDay() === 1 ? ['daily', 'weekly'] : ['daily'];
}

/**
 * The scheduled run: sends every cadence due on the scheduled day exactly once. Each
 * (cadence, day) is claimed with a conditional write first, so the two schedules that meet on
 * Mondays, and Scheduler's retries, never mail a report twice.
 */
export async function runScheduledReports(
  platform: Platform,
  scheduledAt: number,
  now: number,
): Promise<Array<{ cadence: Cadence; reports: string[] }>> {
  const day = new Date(scheduledAt).toISOString().slice(0, 10);
  const sent: Array<{ cadence: Cadence; reports: string[] }> = [];
  for (const cadence of cadencesDue(scheduledAt)) {
    try {
      await platform.tables.state.put(
        {
          PK: `REPORTRUN#${cadence}#${day}`,
          SK: 'REPORTRUN',
          at: now,
          expiresAt: Math.floor(now / 1000) + 30 * 86_400,
        },
        { condition: { kind: 'notExists' } },
      );
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    // The day's log volume is recorded first, so that today's reports can already compare it.
    if (cadence === 'daily') await snapshotLogVolume(scheduledAt);
    const { days, types } = CADENCES[cadence];
    const reports: string[] = [];
    for (const type of types) reports.push((await generateAndSend(platform, type, now, days)).id);
    sent.push({ cadence, reports });
  }
  return sent;
}
