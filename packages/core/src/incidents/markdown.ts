import { type Incident, responseTimes, type TimelineEvent } from './lifecycle';

/** An incident and its timeline as Markdown, for a postmortem document or a ticket. */
export function incidentMarkdown(incident: Incident, events: TimelineEvent[]): string {
  const { ttaMinutes, ttrMinutes } = responseTimes(incident);
  const lines = [
    `# ${incident.title}`,
    '',
    `- **Severity:** ${incident.severity}`,
    `- **Service:** ${incident.service}`,
    `- **Status:** ${incident.status}`,
    `- **Opened:** ${incident.createdAt} by ${incident.createdBy}`,
    `- **Time to acknowledge:** ${ttaMinutes === null ? '—' : `${ttaMinutes} min`}`,
    `- **Time to resolve:** ${ttrMinutes === null ? '—' : `${ttrMinutes} min`}`,
    '',
  ];
  if (incident.description) lines.push(incident.description, '');
  lines.push('## Timeline', '', '| time (UTC) | who | what |', '|---|---|---|');
  for (const e of events)
    lines.push(`| ${e.at} | ${e.actor} | ${e.message.replaceAll('|', '\\|').replaceAll('\n', ' ')} |`);
  return `${lines.join('\n')}\n`;
}
