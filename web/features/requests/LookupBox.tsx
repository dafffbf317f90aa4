import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ReferenceParams, type RequestLookupView } from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DeadlineBadge, RequestStatusBadge } from './badges.tsx';
import { requestsPath } from './queries.ts';

const referenceFormat = ReferenceParams.shape.reference;

/** « Retrouver une saisine par sa référence »: when the person phones, any agent of the territory sees its status and next step. */
export function LookupBox({ territoryId }: { territoryId: string }) {
  const [reference, setReference] = useState('');
  const [formatError, setFormatError] = useState<string | null>(null);
  const lookup = useMutation({
    mutationFn: (ref: string) => api.get<RequestLookupView>(`${requestsPath(territoryId)}/by-reference/${encodeURIComponent(ref)}`),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = referenceFormat.safeParse(reference);
    if (!checked.success) {
      setFormatError(checked.error.issues[0]?.message ?? 'référence invalide');
      lookup.reset();
      return;
    }
    setFormatError(null);
    lookup.mutate(checked.data);
  };
  const found = lookup.data;
  return (
    <section className="fr-p-3w fr-mb-4w relais-lookup" aria-labelledby="titre-retrouver">
      <h2 id="titre-retrouver" className="fr-h5">
        Retrouver une saisine par sa référence
      </h2>
      <form noValidate aria-label="Retrouver une saisine" onSubmit={onSubmit} className="fr-grid-row fr-grid-row--bottom">
        <div className="fr-col-12 fr-col-md-6 fr-mr-md-2w">
          <Input
            label="Référence"
            hintText="Sur le récépissé de la personne, par exemple RLS-2026-000123"
            nativeInputProps={{ name: 'reference', value: reference, autoComplete: 'off', onChange: (e) => setReference(e.target.value) }}
            {...(formatError ? { state: 'error', stateRelatedMessage: formatError } : {})}
          />
        </div>
        <div className="fr-mb-3w">
          <Button type="submit" iconId="fr-icon-search-line" disabled={lookup.isPending}>
            Rechercher
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        <ProblemAlert error={lookup.error} />
        {found && (
          <div className="fr-card fr-card--no-arrow fr-p-3w">
            <h3 className="fr-h6 fr-mb-1w">
              {`${found.reference} · ${found.organisation.acronym} `}
              <RequestStatusBadge status={found.status} label={found.statusLabel} />{' '}
              <DeadlineBadge deadline={found.deadline} hideWhenNone />
            </h3>
            <p className="fr-mb-1w">
              <strong>Prochaine étape : </strong>
              {found.nextStep}
            </p>
            <p className="fr-text--sm fr-mb-1w">
              {`Envoyée par ${found.contactPoint.name} le ${formatDate(found.sentAt)} à ${found.organisation.name}`}
              {` · dernière mise à jour le ${formatDateTime(found.lastUpdateAt)}`}
            </p>
            {found.canOpen ? (
              <Link className="fr-btn fr-btn--sm" to={`/saisines/${found.id}`}>
                Ouvrir
              </Link>
            ) : (
              <p className="fr-text--sm fr-mb-0">
                Cette saisine a été envoyée par un autre lieu d’accueil : vous voyez son état, pas son contenu.
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
