import { PromQLSyntaxError } from './errors';

export type TokenKind = 'ident' | 'number' | 'string' | 'duration' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const DURATION = /^(\d+(ms|[smhdwy]))+/;
const NUMBER = /^(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[nN][aA][nN]|[iI][nN][fF])/;
const IDENT = /^[a-zA-Z_:][a-zA-Z0-9_:.]*/;
const OPS = ['==', '!=', '>=', '<=', '=~', '!~', '+', '-', '*', '/', '%', '^', '>', '<', '='];
const PUNCT = ['(', ')', '{', '}', '[', ']', ',', ':', '@'];

/** Splits a PromQL query into tokens, naming the position of anything it cannot read. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // Inside [...] a bare number-with-unit is a duration.
  let bracketDepth = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const rest = text.slice(i);
    if (c === '"' || c === "'" || c === '`') {
      const { value, end } = readString(text, i);
      tokens.push({ kind: 'string', text: value, pos: i });
      i = end;
      continue;
    }
    // Inside a subquery's brackets ':' separates range and step; elsewhere it may start a name.
    if (c === ':' && bracketDepth > 0) {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    const duration = DURATION.exec(rest);
    if (
      duration &&
      (bracketDepth > 0 || afterOffset(tokens)) &&
      !/^[a-zA-Z_]/.test(rest.slice(duration[0].length))
    ) {
      tokens.push({ kind: 'duration', text: duration[0], pos: i });
      i += duration[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number && !(/^[nNiI]/.test(c) && IDENT.exec(rest)![0].length > number[0].length)) {
      tokens.push({ kind: 'number', text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    if (PUNCT.includes(c)) {
      if (c === '[') bracketDepth++;
      if (c === ']') bracketDepth--;
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw new PromQLSyntaxError(`unexpected character '${c}'`, i);
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}

function afterOffset(tokens: Token[]): boolean {
  const last = tokens.at(-1);
  return last?.kind === 'ident' && last.text.toLowerCase() === 'offset';
}

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let i = start + 1;
  let value = '';
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && quote !== '`') {
      const next = text[i + 1];
      const escapes: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        '"': '"',
        "'": "'",
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
      };
      if (next in escapes) {
        value += escapes[next];
        i += 2;
        continue;
      }
      if (next === 'u' || next === 'x') {
        const len = next === 'u' ? 4 : 2;
        value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 2 + len), 16));
        i += 2 + len;
        continue;
      }
      value += next;
      i += 2;
      continue;
    }
    value += text[i++];
  }
  if (i >= text.length) throw new PromQLSyntaxError('unterminated quoted string', start);
  return { value, end: i + 1 };
}
