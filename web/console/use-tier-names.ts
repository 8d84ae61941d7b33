// A loyalty tier as people know it: by the name the programme gives it, never its id, and the tiers in
// the order customers climb them (by threshold), for every screen that shows a customer's tier.
import { useQuery } from '@tanstack/react-query';
import { humanizeLabel } from '../shared/words.js';
import { getProgram } from './api/loyalty.js';

export function useTierNames() {
  const program = useQuery({ queryKey: ['loyalty-program'], queryFn: () => getProgram() });
  const tiers = program.data?.tiers ?? [];
  return {
    /** The tier's name; its id as a word while the programme loads, or for a tier it no longer has. */
    name: (id: string) => tiers.find((x) => x.id === id)?.name ?? humanizeLabel(id),
    /** Where a tier stands, for sorting: no tier first, then by threshold, a tier the programme no longer has last. */
    rank: (id: string | null) => (id === null ? -1 : (tiers.find((x) => x.id === id)?.threshold ?? Number.POSITIVE_INFINITY)),
  };
}
