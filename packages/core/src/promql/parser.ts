import type {
  Aggregate,
  AggregateOp,
  BinaryOp,
  Expr,
  LabelMatcher,
  MatchType,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast';
import { parsePromDuration } from './duration';
import { PromQLSyntaxError } from './errors';
import { type Token, tokenize } from './lexer';
import { AGGREGATIONS, FUNCTIONS } from './signatures';
import { typeOf } from './type-check';

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
const COMPARISON = new Set(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPS = new Set(['and', 'or', 'unless']);

/**
 * Parses a PromQL expression into its syntax tree and checks argument types.
 * @throws PromQLSyntaxError (a ValidationError on field `expr`) naming the character position.
 */
export function parsePromQL(text: string): Expr {
  if (!text.trim()) throw new PromQLSyntaxError('no expression found in input', 0);
  const parser = new Parser(tokenize(text));
  const expr = parser.expression(0);
  parser.expectEnd();
  typeOf(expr);
  return expr;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private is(text: string, kind?: Token['kind']): boolean {
    const t = this.peek();
    return t.text === text && (kind === undefined || t.kind === kind);
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text)
      throw new PromQLSyntaxError(
        t.kind === 'eof'
          ? `unexpected end of input, expected '${text}'`
          : `unexpected '${t.text}', expected '${text}'`,
        t.pos,
      );
    return t;
  }
  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw new PromQLSyntaxError(`unexpected '${t.text}'`, t.pos);
  }

  private binaryOp(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && t.text in PRECEDENCE) return t.text;
    if (t.kind === 'ident' && ['and', 'or', 'unless', 'atan2'].includes(t.text.toLowerCase()))
      return t.text.toLowerCase();
    return undefined;
  }

  expression(minPrec: number): Expr {
    let lhs = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (!op || PRECEDENCE[op] < minPrec) return lhs;
      const opToken = this.next();
      let returnBool = false;
      if (this.peek().kind === 'ident' && this.peek().text.toLowerCase() === 'bool') {
        if (!COMPARISON.has(op))
          throw new PromQLSyntaxError(
            'bool modifier can only be used on comparison operators',
            this.peek().pos,
          );
        this.next();
        returnBool = true;
      }
      const matching = this.matching(op);
      const rhs = this.expression(op === '^' ? PRECEDENCE[op] : PRECEDENCE[op] + 1);
      lhs = { kind: 'binary', op: op as BinaryOp, lhs, rhs, returnBool, matching, pos: opToken.pos };
    }
  }

  private matching(op: string): VectorMatching | undefined {
    const word = this.peek().kind === 'ident' ? this.peek().text.toLowerCase() : '';
    if (word !== 'on' && word !== 'ignoring')
      return SET_OPS.has(op) ? { card: 'many-to-many', on: false, labels: [], include: [] } : undefined;
    this.next();
    const labels = this.labelList();
    const matching: VectorMatching = {
      card: SET_OPS.has(op) ? 'many-to-many' : 'one-to-one',
      on: word === 'on',
      labels,
      include: [],
    };
    const group = this.peek().kind === 'ident' ? this.peek().text.toLowerCase() : '';
    if (group === 'group_left' || group === 'group_right') {
      if (SET_OPS.has(op))
        throw new PromQLSyntaxError(`no grouping allowed for "${op}" operation`, this.peek().pos);
      this.next();
      matching.card = group === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.is('(')) matching.include = this.labelList();
    }
    return matching;
  }

  private labelList(): string[] {
    this.expect('(');
    const labels: string[] = [];
    while (!this.is(')')) {
      const t = this.next();
      if (t.kind !== 'ident')
        throw new PromQLSyntaxError(
          `unexpected '${t.text || 'end of input'}' in grouping, expected a label name`,
          t.pos,
        );
      labels.push(t.text);
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    return labels;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      const expr = this.expression(PRECEDENCE['^']);
      if (expr.kind === 'number')
        return { ...expr, value: t.text === '-' ? -expr.value : expr.value, pos: t.pos };
      return { kind: 'unary', op: t.text as '-' | '+', expr, pos: t.pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      if (this.is('[')) {
        const open = this.next();
        const range = this.next();
        if (range.kind !== 'duration')
          throw new PromQLSyntaxError(`bad range '${range.text}', expected a duration such as 5m`, range.pos);
        if (this.is(':')) {
          this.next();
          let step = 0;
          if (this.peek().kind === 'duration') step = parsePromDuration(this.next().text, range.pos);
          this.expect(']');
          expr = {
            kind: 'subquery',
            expr,
            range: parsePromDuration(range.text, range.pos),
            step,
            offset: 0,
            pos: open.pos,
          };
          continue;
        }
        this.expect(']');
        if (expr.kind !== 'vector')
          throw new PromQLSyntaxError('ranges only allowed for vector selectors', open.pos);
        expr = {
          kind: 'matrix',
          vector: expr,
          range: parsePromDuration(range.text, range.pos),
          pos: expr.pos,
        };
        continue;
      }
      if (this.peek().kind === 'ident' && this.peek().text.toLowerCase() === 'offset') {
        const at = this.next();
        let sign = 1;
        if (this.is('-')) {
          this.next();
          sign = -1;
        }
        const d = this.next();
        if (d.kind !== 'duration')
          throw new PromQLSyntaxError(`unexpected '${d.text}' after offset, expected a duration`, d.pos);
        const ms = sign * parsePromDuration(d.text, d.pos);
        if (expr.kind === 'vector') expr = { ...expr, offset: ms };
        else if (expr.kind === 'matrix') expr = { ...expr, vector: { ...expr.vector, offset: ms } };
        else if (expr.kind === 'subquery') expr = { ...expr, offset: ms };
        else
          throw new PromQLSyntaxError('offset modifier must be preceded by a selector or subquery', at.pos);
        continue;
      }
      return expr;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: parseNumber(t.text), pos: t.pos };
    }
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.text, pos: t.pos };
    }
    if (t.text === '(' && t.kind === 'punct') {
      this.next();
      const expr = this.expression(0);
      this.expect(')');
      return { kind: 'paren', expr, pos: t.pos };
    }
    if (t.text === '{') return this.selector(undefined, t.pos);
    if (t.kind === 'ident') {
      const lower = t.text.toLowerCase();
      const after = this.peek(1);
      if (
        AGGREGATIONS.has(lower) &&
        (after.text === '(' || ['by', 'without'].includes(after.text.toLowerCase()))
      )
        return this.aggregate();
      if (after.text === '(' && after.kind === 'punct') return this.call();
      this.next();
      return this.selector(t.text, t.pos);
    }
    throw new PromQLSyntaxError(
      t.kind === 'eof' ? 'unexpected end of input' : `unexpected '${t.text}'`,
      t.pos,
    );
  }

  private selector(name: string | undefined, pos: number): VectorSelector {
    const matchers: LabelMatcher[] = [];
    if (this.is('{', 'punct')) {
      this.next();
      while (!this.is('}')) {
        const label = this.next();
        if (label.kind !== 'ident')
          throw new PromQLSyntaxError(
            `unexpected '${label.text || 'end of input'}' in label matching, expected a label name`,
            label.pos,
          );
        const op = this.next();
        if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text))
          throw new PromQLSyntaxError(
            `unexpected '${op.text}' in label matching, expected one of =, !=, =~, !~`,
            op.pos,
          );
        const value = this.next();
        if (value.kind !== 'string')
          throw new PromQLSyntaxError(
            `unexpected '${value.text}' in label matching, expected a quoted string`,
            value.pos,
          );
        if (op.text === '=~' || op.text === '!~') {
          try {
            new RegExp(`^(?:${value.text})$`);
          } catch (error) {
            throw new PromQLSyntaxError(
              `invalid regular expression '${value.text}': ${(error as Error).message}`,
              value.pos,
            );
          }
        }
        matchers.push({ name: label.text, type: op.text as MatchType, value: value.text });
        if (!this.is('}')) this.expect(',');
      }
      this.expect('}');
    }
    const nameMatcher = matchers.find((m) => m.name === '__name__');
    if (name && nameMatcher)
      throw new PromQLSyntaxError(
        `metric name must not be set twice: "${name}" or "${nameMatcher.value}"`,
        pos,
      );
    const all = name ? [{ name: '__name__', type: '=' as const, value: name }, ...matchers] : matchers;
    if (!all.some((m) => !matchesEmpty(m)))
      throw new PromQLSyntaxError('vector selector must contain at least one non-empty matcher', pos);
    return {
      kind: 'vector',
      name: name ?? (nameMatcher?.type === '=' ? nameMatcher.value : undefined),
      matchers: all,
      offset: 0,
      pos,
    };
  }

  private call(): Expr {
    const name = this.next();
    const sig = FUNCTIONS[name.text];
    if (!sig) throw new PromQLSyntaxError(`unknown function with name "${name.text}"`, name.pos);
    this.expect('(');
    const args: Expr[] = [];
    while (!this.is(')')) {
      args.push(this.expression(0));
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    return { kind: 'call', func: name.text, args, pos: name.pos };
  }

  private aggregate(): Aggregate {
    const opToken = this.next();
    const op = opToken.text.toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let seen = false;
    const modifier = () => {
      const word = this.peek().kind === 'ident' ? this.peek().text.toLowerCase() : '';
      if (word === 'by' || word === 'without') {
        if (seen) throw new PromQLSyntaxError('aggregation grouping given twice', this.peek().pos);
        seen = true;
        this.next();
        without = word === 'without';
        grouping = this.labelList();
      }
    };
    modifier();
    this.expect('(');
    let param: Expr | undefined;
    let expr = this.expression(0);
    if (this.is(',')) {
      this.next();
      param = expr;
      expr = this.expression(0);
    }
    this.expect(')');
    modifier();
    const needsParam = ['topk', 'bottomk', 'quantile', 'count_values'].includes(op);
    if (needsParam && !param)
      throw new PromQLSyntaxError(
        `wrong number of arguments for aggregate expression provided, expected 2, got 1`,
        opToken.pos,
      );
    if (!needsParam && param)
      throw new PromQLSyntaxError(
        `wrong number of arguments for aggregate expression provided, expected 1, got 2`,
        opToken.pos,
      );
    return { kind: 'aggregate', op, expr, param, grouping, without, pos: opToken.pos };
  }
}

function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower.startsWith('0x')) return Number.parseInt(text, 16);
  return Number(text);
}

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test('');
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test('');
  }
}
