import type { Binary, BinaryOp, VectorMatching } from './ast';
import { PromQLExecutionError } from './errors';
import { dropName, type Labels, labelsKey, pick } from './labels';
import type { Sample, Vector } from './values';

const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** Applies an arithmetic or comparison operator; comparisons answer 1/0 (bool) or keep/drop. */
export function scalarOp(op: BinaryOp, l: number, r: number): number | boolean {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return l ** r;
    case 'atan2':
      return Math.atan2(l, r);
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      throw new PromQLExecutionError(`operator ${op} not allowed between scalars`);
  }
}

const shouldDropName = (op: BinaryOp) => !COMPARISON.has(op);

/** vector ⊕ scalar or scalar ⊕ vector. */
export function vectorScalar(node: Binary, vector: Vector, scalar: number, scalarOnLeft: boolean): Vector {
  const out: Vector = [];
  for (const s of vector) {
    const [l, r] = scalarOnLeft ? [scalar, s.value] : [s.value, scalar];
    const result = scalarOp(node.op, l, r);
    if (typeof result === 'boolean') {
      if (node.returnBool) out.push({ labels: dropName(s.labels), value: result ? 1 : 0 });
      else if (result) out.push({ labels: s.labels, value: s.value });
    } else {
      out.push({ labels: shouldDropName(node.op) ? dropName(s.labels) : s.labels, value: result });
    }
  }
  return out;
}

function signature(labels: Labels, matching: VectorMatching | undefined): string {
  if (!matching) return labelsKey(dropName(labels));
  if (matching.on) return labelsKey(pick(labels, matching.labels, true));
  return labelsKey(pick(dropName(labels), matching.labels, false));
}

/** vector ⊕ vector with on/ignoring and group_left/group_right, or and/or/unless. */
export function vectorVector(node: Binary, lhs: Vector, rhs: Vector): Vector {
  const matching = node.matching;
  switch (node.op) {
    case 'and': {
      const right = new Set(rhs.map((s) => signature(s.labels, matching)));
      return lhs.filter((s) => right.has(signature(s.labels, matching)));
    }
    case 'unless': {
      const right = new Set(rhs.map((s) => signature(s.labels, matching)));
      return lhs.filter((s) => !right.has(signature(s.labels, matching)));
    }
    case 'or': {
      const left = new Set(lhs.map((s) => signature(s.labels, matching)));
      return [...lhs, ...rhs.filter((s) => !left.has(signature(s.labels, matching)))];
    }
  }
  const card = matching?.card ?? 'one-to-one';
  // For group_right the "one" side is the left: swap so the many side is always `many`.
  const swap = card === 'one-to-many';
  const [many, one] = swap ? [rhs, lhs] : [lhs, rhs];
  const ones = new Map<string, Sample>();
  for (const s of one) {
    const sig = signature(s.labels, matching);
    if (ones.has(sig)) {
      throw new PromQLExecutionError(
        card === 'one-to-one'
          ? `found duplicate series for the match group on the right hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`
          : `found duplicate series for the match group on the ${swap ? 'left' : 'right'} hand-side; many-to-many matching not allowed`,
      );
    }
    ones.set(sig, s);
  }
  const out: Vector = [];
  const seen = new Set<string>();
  for (const m of many) {
    const sig = signature(m.labels, matching);
    const o = ones.get(sig);
    if (!o) continue;
    const [l, r] = swap ? [o, m] : [m, o];
    const result = scalarOp(node.op, l.value, r.value);
    let value: number;
    if (typeof result === 'boolean') {
      if (!node.returnBool && !result) continue;
      value = node.returnBool ? (result ? 1 : 0) : l.value;
    } else value = result;
    const labels = resultLabels(m.labels, o.labels, node, card);
    if (card === 'one-to-one') {
      if (seen.has(sig))
        throw new PromQLExecutionError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      seen.add(sig);
    } else {
      const key = labelsKey(labels);
      if (seen.has(key))
        throw new PromQLExecutionError(
          'multiple matches for labels: grouping labels must ensure unique matches',
        );
      seen.add(key);
    }
    out.push({ labels, value });
  }
  return out;
}

function resultLabels(
  manyLabels: Labels,
  oneLabels: Labels,
  node: Binary,
  card: VectorMatching['card'],
): Labels {
  const matching = node.matching;
  let labels = shouldDropName(node.op) || node.returnBool ? dropName(manyLabels) : manyLabels;
  if (card === 'one-to-one') {
    if (matching?.on) labels = pick(labels, matching.labels, true);
    else if (matching) labels = pick(labels, matching.labels, false);
    return labels;
  }
  labels = { ...labels };
  for (const name of matching?.include ?? []) {
    if (oneLabels[name] !== undefined && oneLabels[name] !== '') labels[name] = oneLabels[name];
    else delete labels[name];
  }
  return labels;
}
