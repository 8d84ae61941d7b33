// Every screen shows a query the same way: "loading" until its first answer, then the error, then the
// empty state, then the data. QueryState is called as the function it is, and the element it returns
// is checked: no browser needed.
import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { Empty, ErrorNote, Loading, QueryState, fieldLabel } from './ui.js';

type Query = { isPending: boolean; error: unknown; data: { rows: string[] } | undefined };
const show = (query: Query) =>
  QueryState({ query, isEmpty: (d) => d.rows.length === 0, empty: 'nothing yet', children: (d) => `rows: ${d.rows.join(',')}` }) as ReactElement<{
    error?: unknown;
    children?: unknown;
  }>;

describe('QueryState', () => {
  it('shows loading while the query has no answer, whatever else it holds', () => {
    expect(show({ isPending: true, error: null, data: undefined }).type).toBe(Loading);
    expect(show({ isPending: true, error: new Error('retrying'), data: undefined }).type).toBe(Loading);
  });

  it('shows the error instead of data or the empty state', () => {
    const error = new Error('down');
    const shown = show({ isPending: false, error, data: { rows: [] } });
    expect(shown.type).toBe(ErrorNote);
    expect(shown.props.error).toBe(error);
  });

  it('shows the empty state only when the data says there is nothing', () => {
    const empty = show({ isPending: false, error: null, data: { rows: [] } });
    expect(empty.type).toBe(Empty);
    expect(empty.props.children).toBe('nothing yet');
    expect(show({ isPending: false, error: null, data: { rows: ['a', 'b'] } }).props.children).toBe('rows: a,b');
  });

  it('shows the data when the screen has no empty state', () => {
    const shown = QueryState({
      query: { isPending: false, error: null, data: { rows: [] as string[] } },
      children: (d) => `n=${d.rows.length}`,
    }) as ReactElement<{
      children?: unknown;
    }>;
    expect(shown.props.children).toBe('n=0');
  });
});

describe('fieldLabel', () => {
  it("reads an API field's path as words, counting list items from one", () => {
    expect(fieldLabel('definition.questions')).toBe('Definition › Questions');
    expect(fieldLabel('body.definition.questions[0].show_if.question')).toBe('Definition › Questions › 1 › Show if › Question');
    expect(fieldLabel('contact_window.end')).toBe('Contact window › End');
    expect(fieldLabel('tiers.0.name')).toBe('Tiers › 1 › Name');
  });
});
