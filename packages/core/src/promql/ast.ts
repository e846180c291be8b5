/** The PromQL syntax tree. Positions are character offsets into the query text. */

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

export interface VectorSelector {
  kind: 'vector';
  name?: string;
  matchers: LabelMatcher[];
  /** ms */
  offset: number;
  pos: number;
}

export interface MatrixSelector {
  kind: 'matrix';
  vector: VectorSelector;
  /** ms */
  range: number;
  pos: number;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
  pos: number;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
  pos: number;
}

export interface Call {
  kind: 'call';
  func: string;
  args: Expr[];
  pos: number;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values';

export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
  pos: number;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless'
  | 'atan2';

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  on: boolean;
  labels: string[];
  include: string[];
}

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  matching?: VectorMatching;
  pos: number;
}

export interface Unary {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
  pos: number;
}

export interface Paren {
  kind: 'paren';
  expr: Expr;
  pos: number;
}

export interface Subquery {
  kind: 'subquery';
  expr: Expr;
  range: number;
  step: number;
  offset: number;
  pos: number;
}

export type Expr =
  | VectorSelector
  | MatrixSelector
  | NumberLiteral
  | StringLiteral
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren
  | Subquery;

export type ValueType = 'vector' | 'matrix' | 'scalar' | 'string';
