/** A figure with its label, for dashboards. */
export const StatTile = ({ value, label, detail }: { value: number | string; label: string; detail?: string }) => (
  <div className="relais-stat fr-px-3w fr-py-2w">
    <p className="relais-stat__value">{value}</p>
    <p className="relais-stat__label fr-text--lg">{label}</p>
    {detail && <p className="fr-text--sm fr-mb-0 fr-mt-1w">{detail}</p>}
  </div>
);
