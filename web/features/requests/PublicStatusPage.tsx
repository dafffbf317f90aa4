import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { PublicStatusView } from '../../../contracts/requests.ts';
import { ApiError, api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

const REFERENCE = /^RLS-[0-9]{4}-[0-9]{6,}$/;

/** What the person typed, checked before asking (each wrong try counts against the limit). */
export function checkStatusInput(reference: string, code: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const ref = reference.trim().toUpperCase();
  if (!ref) errors.reference = 'Indiquez la référence inscrite sur votre récépissé.';
  else if (!REFERENCE.test(ref)) errors.reference = 'La référence ressemble à RLS-2026-000123 : vérifiez-la sur votre récépissé.';
  const plain = code.replace(/[\s-]/g, '');
  if (!plain) errors.code = 'Indiquez le code de suivi inscrit sur votre récépissé.';
  else if (plain.length !== 8) errors.code = 'Le code de suivi compte 8 lettres et chiffres, par exemple ABCD-EF23.';
  return errors;
}

/** The public status page (no sign-in): reference + the receipt's code → status, next step, partner, dates. */
export function PublicStatusPage() {
  const [params] = useSearchParams();
  const [reference, setReference] = useState(params.get('reference') ?? '');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const lookup = useMutation({
    mutationFn: (body: { reference: string; code: string }) =>
      api.post<PublicStatusView>('/api/public/request-status', body, { allowUnauthenticated: true }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkStatusInput(reference, code);
    setErrors(found);
    if (Object.keys(found).length) {
      document.getElementById(found.reference ? 'suivi-reference' : 'suivi-code')?.focus();
      return;
    }
    lookup.mutate({ reference: reference.trim().toUpperCase(), code: code.trim() });
  };
  const fieldError = (name: 'reference' | 'code') => {
    const message = errors[name] ?? (lookup.error instanceof ApiError ? lookup.error.fieldError(name) : undefined);
    return message ? ({ state: 'error', stateRelatedMessage: message } as const) : {};
  };
  const status = lookup.data;
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-8">
        <PageTitle>Suivre ma demande</PageTitle>
        <p>
          Votre lieu d’accueil a transmis votre demande à un partenaire (CAF, Assurance maladie, impôts…). Indiquez la référence et le code
          de suivi inscrits sur votre récépissé pour savoir où elle en est.
        </p>
        <form noValidate aria-label="Suivre ma demande" onSubmit={onSubmit} className="fr-mb-4w">
          <Input
            label="Référence"
            hintText="Par exemple RLS-2026-000123"
            nativeInputProps={{
              id: 'suivi-reference',
              name: 'reference',
              value: reference,
              autoComplete: 'off',
              autoCapitalize: 'characters',
              spellCheck: false,
              onChange: (e) => setReference(e.target.value),
            }}
            {...fieldError('reference')}
          />
          <Input
            label="Code de suivi"
            hintText="8 lettres et chiffres, par exemple ABCD-EF23"
            nativeInputProps={{
              id: 'suivi-code',
              name: 'code',
              value: code,
              autoComplete: 'off',
              autoCapitalize: 'characters',
              spellCheck: false,
              maxLength: 20,
              onChange: (e) => setCode(e.target.value),
            }}
            {...fieldError('code')}
          />
          <Button type="submit" iconId="fr-icon-search-line" disabled={lookup.isPending}>
            Voir où en est ma demande
          </Button>
        </form>
        <div aria-live="polite">
          <ProblemAlert
            error={lookup.error}
            title={lookup.error instanceof ApiError && lookup.error.status === 404 ? 'Demande introuvable' : undefined}
          />
          {status && <StatusCard status={status} />}
        </div>
        <p className="fr-text--sm">
          Vous pouvez aussi appeler ou passer à votre lieu d’accueil avec votre récépissé.{' '}
          <Link to="/trouver">Trouver un lieu d’accueil</Link>
        </p>
      </div>
    </div>
  );
}

function StatusCard({ status: s }: { status: PublicStatusView }) {
  return (
    <section className="fr-card fr-card--no-arrow fr-p-3w fr-mb-4w" aria-labelledby="titre-etat">
      <h2 id="titre-etat" className="fr-h4 fr-mb-1w">
        {`Demande ${s.reference} : ${s.status}`}
      </h2>
      <p className="fr-text--lg">{s.nextStep}</p>
      <dl>
        <dt className="fr-text--bold">Partenaire</dt>
        <dd className="fr-ml-0 fr-mb-1w">{s.organisation}</dd>
        <dt className="fr-text--bold">Envoyée le</dt>
        <dd className="fr-ml-0 fr-mb-1w">{formatDate(s.sentAt)}</dd>
        <dt className="fr-text--bold">Dernière mise à jour</dt>
        <dd className="fr-ml-0 fr-mb-1w">{formatDateTime(s.lastUpdateAt)}</dd>
        {s.dueAt && (
          <>
            <dt className="fr-text--bold">Réponse attendue</dt>
            <dd className="fr-ml-0 fr-mb-1w">{`d’ici le ${formatDate(s.dueAt)}`}</dd>
          </>
        )}
      </dl>
      {s.surveyUrl && (
        <div className="fr-callout fr-mt-2w">
          <h3 className="fr-callout__title fr-h5">Donnez votre avis</h3>
          <p className="fr-callout__text">
            Votre demande est terminée. Votre avis compte — 1 minute, anonyme : il n’est relié ni à votre demande ni à votre nom.
          </p>
          <a className="fr-btn fr-mt-2w" href={s.surveyUrl}>
            Répondre au questionnaire
          </a>
        </div>
      )}
    </section>
  );
}
