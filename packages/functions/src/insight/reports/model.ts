import type { Finding } from '../summary';

/** The kinds of report; every one renders as JSON, Markdown and HTML. */
export const REPORT_TYPES = ['executive', 'performance', 'trend', 'usage'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export type Cell = string | number | null;

/** A chart drawn as inline SVG in HTML and as text in Markdown. */
export type Chart =
  | { kind: 'bars'; title: string; values: Array<[string, number]> }
  | {
      kind: 'line';
      title: string;
      unit: string;
      /** [epoch ms, value] */
      points: Array<[number, number]>;
      /** A horizontal reference line (a benchmark's baseline). */
      reference?: { label: string; value: number };
    };

/** One part of a report: some sentences, a table and/or a chart. */
export interface Section {
  id: string;
  heading: string;
  lines?: string[];
  table?: { columns: string[]; rows: Cell[][] };
  charts?: Chart[];
}

/** What a report says, before it is rendered. */
export interface ReportContent {
  type: ReportType;
  title: string;
  period: { start: string; end: string };
  generatedAt: string;
  /** The few sentences a reader needs if they read nothing else. */
  headline: string[];
  sections: Section[];
  findings: Finding[];
}
