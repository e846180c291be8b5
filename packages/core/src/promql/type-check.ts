import type { Expr, ValueType } from './ast';
import { PromQLSyntaxError } from './errors';
import { FUNCTIONS } from './signatures';

const COMPARISON = new Set(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPS = new Set(['and', 'or', 'unless']);

/** The value type of an expression; checks argument and operand types on the way. */
export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'vector';
    case 'matrix':
    case 'subquery':
      if (expr.kind === 'subquery' && typeOf(expr.expr) !== 'vector')
        throw new PromQLSyntaxError('subquery is only allowed on instant vector', expr.pos);
      return 'matrix';
    case 'paren':
      return typeOf(expr.expr);
    case 'unary': {
      const t = typeOf(expr.expr);
      if (t !== 'scalar' && t !== 'vector')
        throw new PromQLSyntaxError(
          `unary expression only allowed on expressions of type scalar or instant vector, got "${t}"`,
          expr.pos,
        );
      return t;
    }
    case 'call': {
      const sig = FUNCTIONS[expr.func];
      const min = sig.args.length - (sig.optional ?? 0);
      if (expr.args.length < min || (!sig.variadic && expr.args.length > sig.args.length)) {
        throw new PromQLSyntaxError(
          `expected ${min === sig.args.length ? min : `${min} to ${sig.args.length}`} argument(s) in call to "${expr.func}", got ${expr.args.length}`,
          expr.pos,
        );
      }
      expr.args.forEach((arg, i) => {
        const want = sig.args[Math.min(i, sig.args.length - 1)];
        const got = typeOf(arg);
        if (got !== want)
          throw new PromQLSyntaxError(
            `expected type ${typeName(want)} in call to function "${expr.func}", got ${typeName(got)}`,
            arg.pos,
          );
      });
      return sig.returns;
    }
    case 'aggregate': {
      const t = typeOf(expr.expr);
      if (t !== 'vector')
        throw new PromQLSyntaxError(
          `expected type instant vector in aggregation expression, got ${typeName(t)}`,
          expr.expr.pos,
        );
      if (expr.param) {
        const p = typeOf(expr.param);
        const want = expr.op === 'count_values' ? 'string' : 'scalar';
        if (p !== want)
          throw new PromQLSyntaxError(
            `expected type ${typeName(want)} in aggregation parameter, got ${typeName(p)}`,
            expr.param.pos,
          );
      }
      return 'vector';
    }
    case 'binary': {
      const l = typeOf(expr.lhs);
      const r = typeOf(expr.rhs);
      for (const [t, side] of [
        [l, expr.lhs],
        [r, expr.rhs],
      ] as const) {
        if (t !== 'scalar' && t !== 'vector')
          throw new PromQLSyntaxError(
            `binary expression must contain only scalar and instant vector types`,
            side.pos,
          );
      }
      if (SET_OPS.has(expr.op) && (l !== 'vector' || r !== 'vector'))
        throw new PromQLSyntaxError(
          `set operator "${expr.op}" not allowed in binary scalar expression`,
          expr.pos,
        );
      if (COMPARISON.has(expr.op) && l === 'scalar' && r === 'scalar' && !expr.returnBool)
        throw new PromQLSyntaxError('comparisons between scalars must use BOOL modifier', expr.pos);
      if (expr.matching && (l !== 'vector' || r !== 'vector') && !SET_OPS.has(expr.op))
        throw new PromQLSyntaxError('vector matching only allowed between instant vectors', expr.pos);
      return l === 'vector' || r === 'vector' ? 'vector' : 'scalar';
    }
  }
}

function typeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}
