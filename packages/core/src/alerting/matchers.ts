import { ValidationError } from '../errors';
import { hash53 } from '../metrics/series';

/** An Alertmanager matcher (`severity="critical"`, `service=~"api|web"`). */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

const TEXT = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^,"{}]*?))\s*$/;

/** Parses Alertmanager's matcher syntax; `field` names the input in errors. */
export function parseMatcher(text: string, field = 'matchers'): Matcher {
  const m = TEXT.exec(text);
  if (!m)
    throw new ValidationError(`'${text}' is not a matcher such as severity="critical"`, [
      { field, message: 'expected name="value", name!="value", name=~"regex" or name!~"regex"' },
    ]);
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  const matcher = { name: m[1], value, isRegex: m[2].includes('~'), isEqual: !m[2].startsWith('!') };
  if (matcher.isRegex) compile(matcher.value, field);
  return matcher;
}

const cache = new Map<string, RegExp>();
function compile(pattern: string, field = 'matchers'): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch (error) {
      throw new ValidationError(`invalid regular expression '${pattern}': ${(error as Error).message}`, [
        { field, message: 'invalid regex' },
      ]);
    }
    cache.set(pattern, re);
  }
  return re;
}

/** Whether labels satisfy one matcher (a missing label is the empty string). */
export function matcherMatches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  const hit = m.isRegex ? compile(m.value).test(v) : v === m.value;
  return hit === m.isEqual;
}

export function allMatch(matchers: Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matcherMatches(m, labels));
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '~' : '='}${JSON.stringify(m.value)}`;
}

/** Stable identity of a label set. */
export function fingerprint(labels: Record<string, string>): string {
  return hash53(
    Object.keys(labels)
      .sort()
      .map((k) => `${k}\u0001${labels[k]}`)
      .join('\u0002'),
  );
}

/** Orders alerts (or anything with labels) by their label sets, as Alertmanager sorts payloads. */
export function compareLabels(a: Record<string, string>, b: Record<string, string>): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    if (a[ka[i]] !== b[kb[i]]) return a[ka[i]] < b[kb[i]] ? -1 : 1;
  }
  return ka.length - kb.length;
}
