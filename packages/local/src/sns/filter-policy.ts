import type { AttributeValue } from '@vigil/core/ports';

/**
 * Amazon SNS subscription filter policies, applied to message attributes as SNS does:
 * keys are ANDed, the conditions listed for one key are ORed, `$or` splits a policy into
 * alternatives. Conditions: exact string or number, `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (values, or a prefix/suffix), `numeric` ranges, and `exists`. A String.Array
 * attribute matches when any of its elements matches.
 */
export function matchesFilterPolicy(
  policy: Record<string, unknown> | undefined,
  attributes: Record<string, AttributeValue>,
): boolean {
  if (!policy || Object.keys(policy).length === 0) return true;
  const { $or, ...keys } = policy as { $or?: Record<string, unknown>[] } & Record<string, unknown>;
  const base = Object.entries(keys).every(([name, conditions]) => keyMatches(conditions, attributes[name]));
  if (!base) return false;
  return $or === undefined || $or.some((alternative) => matchesFilterPolicy(alternative, attributes));
}

function keyMatches(conditions: unknown, value: AttributeValue | undefined): boolean {
  const list = Array.isArray(conditions) ? conditions : [conditions];
  return list.some((condition) => conditionMatches(condition, value));
}

function conditionMatches(condition: unknown, value: AttributeValue | undefined): boolean {
  if (
    condition !== null &&
    typeof condition === 'object' &&
    !Array.isArray(condition) &&
    'exists' in condition
  ) {
    return (condition as { exists: boolean }).exists === (value !== undefined);
  }
  if (value === undefined) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => scalarMatches(condition, v));
}

function scalarMatches(condition: unknown, value: string | number): boolean {
  if (typeof condition === 'string') return typeof value === 'string' && value === condition;
  if (typeof condition === 'number') return toNumber(value) === condition;
  if (condition === null || typeof condition !== 'object') return false;
  const c = condition as Record<string, unknown>;
  if ('prefix' in c) return typeof value === 'string' && value.startsWith(String(c.prefix));
  if ('suffix' in c) return typeof value === 'string' && value.endsWith(String(c.suffix));
  if ('equals-ignore-case' in c)
    return typeof value === 'string' && value.toLowerCase() === String(c['equals-ignore-case']).toLowerCase();
  if ('numeric' in c) return numericMatches(c.numeric as unknown[], toNumber(value));
  if ('anything-but' in c) return !anythingButExcludes(c['anything-but'], value);
  return false;
}

function anythingButExcludes(spec: unknown, value: string | number): boolean {
  if (Array.isArray(spec)) return spec.some((s) => scalarMatches(s, value));
  if (spec !== null && typeof spec === 'object') return scalarMatches(spec, value);
  return scalarMatches(spec, value);
}

function numericMatches(spec: unknown[], value: number | undefined): boolean {
  if (value === undefined) return false;
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const bound = Number(spec[i + 1]);
    const ok =
      spec[i] === '='
        ? value === bound
        : spec[i] === '<'
          ? value < bound
          : spec[i] === '<='
            ? value <= bound
            : spec[i] === '>'
              ? value > bound
              : spec[i] === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return spec.length >= 2;
}

function toNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : undefined;
}
