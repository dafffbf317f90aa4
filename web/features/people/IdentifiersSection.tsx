import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { IdentifierField, PersonView, RevealResult } from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { IdentifierInputs } from './queries.ts';

/** The identifiers, masked; each is shown only on purpose, after a confirmation, and the reveal is journaled. */
export function IdentifiersSection({ territoryId, person }: { territoryId: string; person: PersonView }) {
  const present = IdentifierInputs.filter((f) => person.identifiers[f.field]);
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-identifiants">
      <h2 id="titre-identifiants" className="fr-h4">
        Identifiants
      </h2>
      {present.length === 0 ? (
        <p>Aucun identifiant enregistré.</p>
      ) : (
        <>
          <p className="fr-text--sm">
            Les identifiants sont masqués. Chaque affichage est inscrit au journal de sécurité (qui, quand, quel identifiant).
          </p>
          <dl className="relais-identifiers">
            {present.map((f) => (
              <IdentifierRow
                key={f.field}
                territoryId={territoryId}
                personId={person.id}
                field={f.field}
                label={f.label}
                masked={person.identifiers[f.field] ?? ''}
              />
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

function IdentifierRow(props: { territoryId: string; personId: string; field: IdentifierField; label: string; masked: string }) {
  const { territoryId, personId, field, label, masked } = props;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const reasonRef = useRef<HTMLInputElement>(null);
  const showButton = useRef<HTMLButtonElement>(null);
  const reveal = useMutation({
    mutationFn: () =>
      api.post<RevealResult>(`/api/territories/${territoryId}/people/${personId}/reveal`, {
        field,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    onSuccess: () => setAsking(false),
  });
  useEffect(() => {
    if (asking) reasonRef.current?.focus();
  }, [asking]);
  const id = `identifiant-${field}`;
  return (
    <div className="fr-mb-2w">
      <dt id={`${id}-libelle`} className="fr-text--bold">
        {label}
      </dt>
      <dd className="fr-ml-0">
        <span aria-live="polite">
          {reveal.data ? (
            <>
              <span className="relais-revealed" data-testid={`${id}-valeur`}>
                {reveal.data.value}
              </span>{' '}
              <span className="fr-text--xs">(affichage journalisé)</span>
            </>
          ) : (
            <>
              {masked} <span className="fr-sr-only">(masqué)</span>
            </>
          )}
        </span>
        {!reveal.data && !asking && (
          <Button
            ref={showButton}
            className="fr-ml-2w"
            priority="tertiary"
            size="small"
            iconId="fr-icon-eye-line"
            title={`Afficher en clair : ${label}`}
            onClick={() => setAsking(true)}
          >
            Afficher
          </Button>
        )}
        {asking && (
          <form
            className="fr-mt-1w fr-p-2w relais-confirm"
            aria-label={`Confirmer l’affichage : ${label}`}
            onSubmit={(e) => {
              e.preventDefault();
              reveal.mutate();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setAsking(false);
                queueMicrotask(() => showButton.current?.focus());
              }
            }}
          >
            <p className="fr-mb-1w">Afficher en clair : {label} ? Cet affichage sera inscrit au journal de sécurité avec votre nom.</p>
            <ProblemAlert error={reveal.error} />
            <Input
              label="Motif (facultatif)"
              hintText="Par exemple : démarche CAF en cours"
              nativeInputProps={{
                ref: reasonRef,
                id: `${id}-motif`,
                name: 'reason',
                value: reason,
                maxLength: 200,
                autoComplete: 'off',
                onChange: (e) => setReason(e.target.value),
              }}
            />
            <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
              <li>
                <Button type="submit" size="small" disabled={reveal.isPending}>
                  Confirmer l’affichage
                </Button>
              </li>
              <li>
                <Button type="button" size="small" priority="secondary" onClick={() => setAsking(false)}>
                  Annuler
                </Button>
              </li>
            </ul>
          </form>
        )}
      </dd>
    </div>
  );
}
