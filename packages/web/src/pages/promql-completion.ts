/** Where the cursor (at the end of the query) is, for completion. */
export type CompletionContext =
  | { kind: 'metric' }
  | { kind: 'label'; metric: string; head: string }
  | { kind: 'value'; metric: string; label: string; head: string };

/**
 * What to complete at the end of a PromQL query: a label name inside `metric{…`, a label value
 * after `label="`, otherwise a metric name. `head` is the query up to the part being completed.
 */
export function completionContext(query: string): CompletionContext {
  const open = query.match(/([a-zA-Z_:][\w:]*)\{([^{}]*)$/);
  if (!open) return { kind: 'metric' };
  const metric = open[1];
  const inside = open[2];
  const headOfInside = query.slice(0, query.length - inside.length);
  const lastComma = inside.lastIndexOf(',');
  const segment = inside.slice(lastComma + 1);
  const value = segment.match(/^\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"([^"]*)$/);
  if (value)
    return {
      kind: 'value',
      metric,
      label: value[1],
      head: query.slice(0, query.length - value[3].length),
    };
  return {
    kind: 'label',
    metric,
    head: headOfInside + inside.slice(0, lastComma + 1) + (lastComma >= 0 ? ' ' : ''),
  };
}
