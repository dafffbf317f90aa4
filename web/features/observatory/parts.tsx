import type { ReactNode } from 'react';
import { formatCount } from './format.ts';

/** A headline figure: its value, label and an optional line (the comparison). */
export function Tile({ value, label, detail }: { value: ReactNode; label: string; detail?: ReactNode }) {
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
      <div className="relais-stat fr-px-3w fr-py-2w">
        <p className="relais-stat__value">{value}</p>
        <p className="relais-stat__label fr-text--lg">{label}</p>
        {detail && <p className="fr-text--sm fr-mb-0 fr-mt-1w">{detail}</p>}
      </div>
    </div>
  );
}

export const Tiles = ({ children }: { children: ReactNode }) => (
  <div className="fr-grid-row fr-grid-row--gutters relais-tiles">{children}</div>
);

/** « 5 000 → 18 000 »: the comparison period's figure, then this period's. */
export const fromTo = (previous: number | null, current: number) =>
  previous === null ? null : `${formatCount(previous)} → ${formatCount(current)}`;
