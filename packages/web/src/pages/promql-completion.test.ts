import { describe, expect, it } from 'vitest';
import { completionContext } from './promql-completion';

describe('completionContext', () => {
  it.each([
    // nothing typed yet, or a bare name: complete metric names
    ['', { kind: 'metric' }],
    ['http_req', { kind: 'metric' }],
    // a closed selector is complete
    ['up{job="a"}', { kind: 'metric' }],
    // just opened the braces: label names of that metric
    ['up{', { kind: 'label', metric: 'up', head: 'up{' }],
    // after a comma: the next label name, keeping what came before
    ['up{job="a",', { kind: 'label', metric: 'up', head: 'up{job="a", ' }],
    // inside a function call the innermost selector counts
    [
      'rate(http_requests_total{co',
      { kind: 'label', metric: 'http_requests_total', head: 'rate(http_requests_total{' },
    ],
    // after label=" : values of that label, whatever the operator
    ['up{job="', { kind: 'value', metric: 'up', label: 'job', head: 'up{job="' }],
    ['up{job=~"ap', { kind: 'value', metric: 'up', label: 'job', head: 'up{job=~"' }],
    ['up{a="1", code!="5', { kind: 'value', metric: 'up', label: 'code', head: 'up{a="1", code!="' }],
  ])('%j → %j', (query, expected) => {
    expect(completionContext(query)).toEqual(expected);
  });
});
