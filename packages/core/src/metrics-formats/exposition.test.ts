import { describe, expect, it } from 'vitest';
import { parseExposition } from './exposition';

const T0 = Date.parse('2026-11-01T00:00:00Z');

describe('parseExposition', () => {
  it('reads escaped label values: \\\\, \\", \\n, and keeps unknown escapes as written', () => {
    const { series, errors } = parseExposition(
      'm{a="x\\\\y",b="say \\"hi\\"",c="two\\nlines",d="tab\\tkept",e="",f="ünï🙂"} 1\n',
      T0,
    );
    expect(errors).toEqual([]);
    expect(series).toEqual([
      {
        name: 'm',
        labels: { a: 'x\\y', b: 'say "hi"', c: 'two\nlines', d: 'tab\\tkept', e: '', f: 'ünï🙂' },
        samples: [[T0, 1]],
      },
    ]);
  });

  it('groups lines of one series whatever the order of their labels, and keeps others apart', () => {
    const { series } = parseExposition(
      [
        'm{a="1",b="2"} 1 1000',
        'm{b="2",a="1"} 2 2000',
        'm{a="12",b=""} 3 3000',
        'm{a="1",b="2",c="3"} 4 4000',
        'n{a="1",b="2"} 5 5000',
      ].join('\r\n'),
      T0,
    );
    expect(series.map((s) => [s.name, s.labels, s.samples])).toEqual([
      [
        'm',
        { a: '1', b: '2' },
        [
          [1000, 1],
          [2000, 2],
        ],
      ],
      ['m', { a: '12', b: '' }, [[3000, 3]]],
      ['m', { a: '1', b: '2', c: '3' }, [[4000, 4]]],
      ['n', { a: '1', b: '2' }, [[5000, 5]]],
    ]);
  });

  it('names the line and the problem of every wrong line, and reads the rest', () => {
    const { series, errors } = parseExposition(
      [
        'ok 1',
        'm{a="open} 1',
        'm{a="x\\',
        'm{9a="x"} 1',
        'm{a="x" b="y"} 1',
        '# TYPE m sometimes',
        'm{a="x",a="y"} 1',
        'm 1 2 3',
      ].join('\n'),
      T0,
    );
    expect(series.map((s) => s.name)).toEqual(['ok']);
    expect(errors).toEqual([
      { field: 'line 2', message: "unterminated value of label 'a'" },
      { field: 'line 3', message: "unterminated value of label 'a'" },
      { field: 'line 4', message: 'invalid label name at column 3' },
      { field: 'line 5', message: "expected ',' or '}' after label 'a'" },
      { field: 'line 6', message: "unknown metric type 'sometimes'" },
      { field: 'line 7', message: "duplicate label 'a'" },
      { field: 'line 8', message: "unexpected text after the timestamp: '3'" },
    ]);
  });
});
