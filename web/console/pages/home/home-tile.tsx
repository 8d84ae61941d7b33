// A home-screen tile: a figure or a short list under a title that links to the screen it summarises.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { UseQueryResult } from '@tanstack/react-query';
import { Card, QueryState } from '../../../shared/ui.js';

export function Tile<T>({
  title,
  to,
  screen,
  query,
  isEmpty,
  empty,
  children,
}: {
  title: string;
  to: string;
  screen: string;
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: string;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card
      className="home-tile"
      title={<Link to={to}>{title}</Link>}
      actions={
        <Link to={to} className="muted">
          {t('home.open', { screen })} →
        </Link>
      }
    >
      <QueryState query={query} isEmpty={isEmpty} empty={empty}>
        {children}
      </QueryState>
    </Card>
  );
}

/** A line of figures over time, drawn inline (the chart library is too heavy for a landing screen). */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const points = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length < 2) return null;
  const ys = points.map((p) => p[1]);
  const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
  const x = (i: number) => (i / (values.length - 1)) * 200;
  const y = (v: number) => 36 - ((v - lo) / (hi - lo || 1)) * 32;
  return (
    <svg className="sparkline" viewBox="0 0 200 40" width="200" height="40" role="img" aria-label={label}>
      <polyline fill="none" stroke="currentColor" strokeWidth="2" points={points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />
    </svg>
  );
}
