import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import type { LabelCheck } from '../../../contracts/network.ts';

/** The France Services label criteria of one house: what is met, and what is missing. */
export function LabelCheckPanel({ check, headingId }: { check: LabelCheck; headingId?: string }) {
  return (
    <Alert
      severity={check.ok ? 'success' : 'warning'}
      title={check.ok ? 'Critères du label France Services remplis' : 'Critères du label France Services à compléter'}
      description={
        <>
          <ul id={headingId}>
            {check.checks.map((c) => (
              <li key={c.code}>
                {c.label} : {c.ok ? 'rempli' : 'non rempli'} — {c.detail}
              </li>
            ))}
          </ul>
          {check.missing.length > 0 && (
            <>
              <p className="fr-mb-0">Ce qui manque :</p>
              <ul>
                {check.missing.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </>
          )}
        </>
      }
    />
  );
}
