import { describe, expect, it } from 'vitest';
import type { ReportContent } from './model';
import { toHtml, toMarkdown } from './render';

const evil = '<script>alert(1)</script>"&';

const report: ReportContent = {
  type: 'executive',
  title: `Report ${evil}`,
  period: { start: '2026-11-09T08:00:00.000Z', end: '2026-11-16T08:00:00.000Z' },
  generatedAt: '2026-11-16T08:00:00.000Z',
  headline: [`Incident ${evil} is open.`],
  sections: [
    {
      id: 'x',
      heading: `Heading ${evil}`,
      lines: [evil],
      table: {
        columns: ['name', 'value'],
        rows: [
          [evil, 1],
          ['a|b', null],
        ],
      },
      charts: [
        { kind: 'bars', title: evil, values: [[evil, 2]] },
        {
          kind: 'line',
          title: evil,
          unit: 's',
          points: [
            [0, 1],
            [3_600_000, 2],
          ],
          reference: { label: evil, value: 1.5 },
        },
      ],
    },
  ],
  findings: [{ severity: 'high', title: evil, recommendation: evil, numbers: {} }],
};

describe('report rendering', () => {
  it('escapes everything users name in the HTML, charts included', () => {
    const html = toHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/"&[^a-z#]/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;');
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('keeps Markdown tables intact when a cell holds a pipe, and shows empty cells as a dash', () => {
    const md = toMarkdown(report);
    expect(md).toContain('| a\\|b | — |');
    expect(md).toContain('**high**');
  });
});
