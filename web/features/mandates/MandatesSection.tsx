import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { MandateConsentMethodLabels, MandateStatusLabels, type MandateView } from '../../../contracts/mandates.ts';
import type { PersonView } from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { MandateForm } from './MandateForm.tsx';
import './mandates.css';
import { daysLeftLabel, mandateKeys, mandatesPath, scopeLabel, useAppConfig, useMandates } from './queries.ts';

/** The person's mandates on their file: active ones first, expired and revoked ones folded; create, renew, revoke. */
export function MandatesSection({ territoryId, person }: { territoryId: string; person: PersonView }) {
  const mandates = useMandates(territoryId, person.id);
  const config = useAppConfig();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<MandateView | null>(null);
  // Agents record mandates for their contact point; coordinators read them.
  const canCreate = useSession().role === 'agent';
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-mandats">
      <h2 id="titre-mandats" className="fr-h4">
        Mandats
      </h2>
      <p className="fr-text--sm">
        Avec un mandat, les agents du lieu d’accueil font des démarches au nom de la personne et avec elle, pour les partenaires et la durée
        qu’elle a choisis. Elle peut le révoquer à tout moment.
      </p>
      {created && (
        <SuccessAlert>
          Mandat enregistré jusqu’au {formatDate(created.endsAt)}.
          {created.consentMethod === 'formulaire_signe' && ' Imprimez le formulaire, faites-le signer, puis joignez-le ci-dessous.'}
        </SuccessAlert>
      )}
      <QueryState query={mandates}>
        {({ items }) => {
          const active = items.filter((m) => m.status === 'actif');
          const past = items.filter((m) => m.status !== 'actif');
          return (
            <>
              {active.length === 0 ? (
                <p>Aucun mandat en cours.</p>
              ) : (
                <ul className="fr-raw-list" aria-label="Mandats en cours">
                  {active.map((m) => (
                    <MandateItem key={m.id} territoryId={territoryId} person={person} mandate={m} />
                  ))}
                </ul>
              )}
              {past.length > 0 && (
                <details className="fr-mt-2w">
                  <summary>Mandats expirés ou révoqués ({past.length})</summary>
                  <ul className="fr-raw-list">
                    {past.map((m) => (
                      <MandateItem key={m.id} territoryId={territoryId} person={person} mandate={m} />
                    ))}
                  </ul>
                </details>
              )}
            </>
          );
        }}
      </QueryState>
      {canCreate &&
        (creating ? (
          <MandateForm
            territoryId={territoryId}
            person={person}
            onDone={(m) => {
              setCreated(m);
              setCreating(false);
            }}
          />
        ) : (
          <Button className="fr-mt-2w" priority="secondary" iconId="fr-icon-add-line" onClick={() => setCreating(true)}>
            Nouveau mandat
          </Button>
        ))}
      <p className="fr-text--sm fr-mt-3w">
        Pour une démarche qui demande FranceConnect sur le site du partenaire, le mandat se donne avec{' '}
        <a href={config.data?.aidantsConnectUrl ?? 'https://aidantsconnect.beta.gouv.fr/'} target="_blank" rel="noopener noreferrer">
          Aidants Connect (nouvelle fenêtre)
        </a>
        .
      </p>
    </section>
  );
}

function MandateItem({ territoryId, person, mandate: m }: { territoryId: string; person: PersonView; mandate: MandateView }) {
  const [mode, setMode] = useState<'idle' | 'renew' | 'revoke'>('idle');
  const base = `${mandatesPath(territoryId, person.id)}/${m.id}`;
  return (
    <li className="fr-mb-3w fr-p-2w relais-mandate" aria-label={`Mandat ${scopeLabel(m.scope)}`}>
      <p className="fr-mb-1w">
        <strong>{scopeLabel(m.scope)}</strong>{' '}
        <Badge small severity={m.status === 'actif' ? 'success' : m.status === 'revoque' ? 'error' : undefined} noIcon>
          {MandateStatusLabels[m.status]}
        </Badge>
        {m.status === 'actif' && <span className="fr-ml-1w">{daysLeftLabel(m.daysLeft)}</span>}
      </p>
      <p className="fr-text--sm fr-mb-1w">
        {m.contactPoint.name} · du {formatDate(m.startsAt)} au {formatDateTime(m.endsAt)} · {MandateConsentMethodLabels[m.consentMethod]}
        {m.consentReference && m.consentMethod !== 'code_sms' ? ` (${m.consentReference})` : ''}
        {m.revokedAt ? ` · révoqué le ${formatDate(m.revokedAt)} : ${m.revokedReason ?? ''}` : ''}
      </p>
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        <li>
          <Link className="fr-btn fr-btn--tertiary fr-btn--sm" to={`/usagers/${person.id}/mandats/${m.id}/imprimer`}>
            Imprimer le formulaire
          </Link>
        </li>
        {m.document && (
          <li>
            <a className="fr-btn fr-btn--tertiary fr-btn--sm" href={`${base}/document`} download={m.document.fileName}>
              Formulaire signé ({m.document.fileName})
            </a>
          </li>
        )}
        {m.canManage && m.status === 'actif' && (
          <li>
            <Link className="fr-btn fr-btn--tertiary fr-btn--sm" to={`/nouvel-accueil?usager=${person.id}&mandat=${m.id}`}>
              Noter un accueil sous ce mandat
            </Link>
          </li>
        )}
        {m.canManage && (
          <li>
            <Button size="small" priority="secondary" onClick={() => setMode(mode === 'renew' ? 'idle' : 'renew')}>
              Renouveler
            </Button>
          </li>
        )}
        {m.canManage && m.status === 'actif' && (
          <li>
            <Button size="small" priority="tertiary" onClick={() => setMode(mode === 'revoke' ? 'idle' : 'revoke')}>
              Révoquer
            </Button>
          </li>
        )}
      </ul>
      {m.canManage && m.consentMethod === 'formulaire_signe' && !m.document && m.status === 'actif' && (
        <UploadForm territoryId={territoryId} personId={person.id} mandateId={m.id} />
      )}
      {mode === 'renew' && <MandateForm territoryId={territoryId} person={person} renewing={m} onDone={() => setMode('idle')} />}
      {mode === 'revoke' && <RevokeForm territoryId={territoryId} personId={person.id} mandateId={m.id} onDone={() => setMode('idle')} />}
    </li>
  );
}

function RevokeForm({
  territoryId,
  personId,
  mandateId,
  onDone,
}: {
  territoryId: string;
  personId: string;
  mandateId: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () => api.post(`${mandatesPath(territoryId, personId)}/${mandateId}/revoke`, { reason: reason.trim() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: mandateKeys.list(territoryId, personId) });
      onDone();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    revoke.mutate();
  };
  return (
    <form noValidate aria-label="Révoquer le mandat" className="fr-col-12 fr-col-md-6 fr-px-0" onSubmit={onSubmit}>
      <ProblemAlert error={revoke.error} />
      <Input
        label="Motif de la révocation"
        nativeInputProps={{ name: 'reason', required: true, value: reason, onChange: (e) => setReason(e.target.value) }}
      />
      <Button type="submit" disabled={revoke.isPending || !reason.trim()}>
        Révoquer le mandat
      </Button>
    </form>
  );
}

/** The file read as base64, in chunks (a 5 MB file would overflow String.fromCharCode's arguments). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function UploadForm({ territoryId, personId, mandateId }: { territoryId: string; personId: string; mandateId: string }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async (f: File) =>
      api.put(`${mandatesPath(territoryId, personId)}/${mandateId}/document`, { fileName: f.name, contentBase64: await base64Of(f) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mandateKeys.list(territoryId, personId) }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate(file);
  };
  return (
    <form noValidate aria-label="Joindre le formulaire signé" className="fr-mt-1w" onSubmit={onSubmit}>
      <ProblemAlert error={upload.error} />
      <div className="fr-upload-group">
        <label className="fr-label" htmlFor={`formulaire-${mandateId}`}>
          Formulaire signé
          <span className="fr-hint-text">PDF, JPEG ou PNG, 5 Mo au plus</span>
        </label>
        <input
          className="fr-upload"
          type="file"
          id={`formulaire-${mandateId}`}
          accept="application/pdf,image/jpeg,image/png"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <Button className="fr-mt-1w" size="small" type="submit" disabled={!file || upload.isPending}>
        Joindre le formulaire signé
      </Button>
    </form>
  );
}
