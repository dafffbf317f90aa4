/** A short, announced waiting message (DSFR has no spinner). */
export const Loading = ({ label = 'Chargement…' }: { label?: string }) => (
  <p role="status" className="fr-text--sm fr-my-2w">
    {label}
  </p>
);
