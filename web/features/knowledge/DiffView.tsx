import type { FieldDiff } from '../../../contracts/knowledge.ts';

/**
 * What changed, field by field: added text in <ins>, removed text in <del>, each with a word for
 * screen readers (which do not announce the elements themselves).
 */
export function DiffView({ changes, headingLevel = 3 }: { changes: FieldDiff[]; headingLevel?: 3 | 4 }) {
  if (changes.length === 0) return <p>Aucune différence entre ces versions.</p>;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className="relais-diff">
      {changes.map((change) => (
        <section key={change.field} className="relais-diff__field">
          <Heading className="fr-text--md fr-mb-1w">{change.label}</Heading>
          <p className="relais-diff__text">
            {change.parts.map((part, index) => {
              const key = `${index}-${part.kind}`;
              if (part.kind === 'added')
                return (
                  <ins key={key}>
                    <span className="fr-sr-only">[ajouté : </span>
                    {part.text}
                    <span className="fr-sr-only">]</span>
                  </ins>
                );
              if (part.kind === 'removed')
                return (
                  <del key={key}>
                    <span className="fr-sr-only">[supprimé : </span>
                    {part.text}
                    <span className="fr-sr-only">]</span>
                  </del>
                );
              return <span key={key}>{part.text}</span>;
            })}
          </p>
        </section>
      ))}
    </div>
  );
}
