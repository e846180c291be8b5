import type { Incident, TimelineEvent } from '../incidents/lifecycle';

/** One follow-up of a review. */
export interface ActionItem {
  id: string;
  title: string;
  owner: string;
  /** YYYY-MM-DD */
  due: string;
  status: 'open' | 'in-progress' | 'done';
}

/** A post-incident review, created when a SEV1/SEV2 incident resolves. */
export interface Review {
  id: string;
  incidentId: string;
  title: string;
  severity: string;
  status: 'draft' | 'published';
  /** YYYY-MM-DD */
  due: string;
  summary: string;
  impact: string;
  rootCause: string;
  contributingFactors: string[];
  lessonsLearned: string[];
  actionItems: ActionItem[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The date `days` business days (Mon–Fri) after `from`, as YYYY-MM-DD. */
export function addBusinessDays(from: number, days: number): string {
  const d = new Date(from);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Whether an incident's resolution calls for a review. */
export const needsReview = (incident: Pick<Incident, 'severity'>) =>
  incident.severity === 'SEV1' || incident.severity === 'SEV2';

/** An empty review for a resolved incident, due `businessDays` after `now`. */
export function newReview(incident: Incident, now: number, businessDays = 5): Omit<Review, 'version'> {
  const at = new Date(now).toISOString();
  return {
    id: incident.id,
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: 'draft',
    due: addBusinessDays(now, businessDays),
    summary: '',
    impact: '',
    rootCause: '',
    contributingFactors: [],
    lessonsLearned: [],
    actionItems: [],
    createdAt: at,
    updatedAt: at,
  };
}

/** Action items not done whose due date has passed. */
export function overdueItems(review: Review, now: number): ActionItem[] {
  const today = new Date(now).toISOString().slice(0, 10);
  return review.actionItems.filter((a) => a.status !== 'done' && a.due < today);
}

const bullets = (items: string[]) =>
  items.length ? items.map((x) => `- ${x}`).join('\n') : '_None recorded._';

/** The review as Markdown, with the incident's timeline. */
export function reviewMarkdown(review: Review, incident: Incident, events: TimelineEvent[]): string {
  return [
    `# Post-incident review: ${review.title}`,
    '',
    `- **Incident:** ${incident.id} (${incident.severity}, ${incident.service})`,
    `- **Status:** ${review.status}, due ${review.due}`,
    `- **Opened:** ${incident.createdAt} · **Resolved:** ${incident.resolvedAt ?? '—'}`,
    '',
    '## Summary',
    '',
    review.summary || '_To be written._',
    '',
    '## Impact',
    '',
    review.impact || '_To be written._',
    '',
    '## Root cause',
    '',
    review.rootCause || '_To be written._',
    '',
    '## Contributing factors',
    '',
    bullets(review.contributingFactors),
    '',
    '## Lessons learned',
    '',
    bullets(review.lessonsLearned),
    '',
    '## Action items',
    '',
    '| item | owner | due | status |',
    '|---|---|---|---|',
    ...review.actionItems.map((a) => `| ${a.title} | ${a.owner} | ${a.due} | ${a.status} |`),
    '',
    '## Timeline',
    '',
    '| time (UTC) | who | what |',
    '|---|---|---|',
    ...events.map(
      (e) => `| ${e.at} | ${e.actor} | ${e.message.replaceAll('|', '\\|').replaceAll('\n', ' ')} |`,
    ),
    '',
  ].join('\n');
}
