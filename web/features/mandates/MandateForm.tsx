import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import {
  type MandateConsentMethod,
  MandateConsentMethodLabels,
  MandateConsentMethods,
  type MandateDuration,
  MandateDurationLabels,
  MandateDurations,
  type MandateView,
  type SmsChallengeView,
} from '../../../contracts/mandates.ts';
import { catalogueEntry } from '../../../contracts/partner-catalogue.ts';
import type { PersonView } from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { fieldState } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { useOrganisations } from '../network/queries.ts';
import { mandateKeys, mandatesPath, useAppConfig } from './queries.ts';

const toggle = (set: string[], value: string) => (set.includes(value) ? set.filter((v) => v !== value) : [...set, value]);

/** A new mandate, or the renewal of `renewing`: scope, duration, consent (SMS code, signed form or phone). */
export function MandateForm({
  territoryId,
  person,
  renewing,
  onDone,
}: {
  territoryId: string;
  person: PersonView;
  renewing?: MandateView;
  onDone: (created: MandateView) => void;
}) {
  const { context } = useSession();
  const contactPointId = context.kind === 'membership' ? (context.membership.contactPoint?.id ?? undefined) : undefined;
  const organisations = useOrganisations(territoryId);
  const config = useAppConfig();
  const queryClient = useQueryClient();
  const [all, setAll] = useState(renewing ? renewing.scope.all : true);
  const [organisationIds, setOrganisationIds] = useState<string[]>(renewing?.scope.organisations.map((o) => o.id) ?? []);
  const [procedures, setProcedures] = useState<string[]>(renewing?.scope.procedures ?? []);
  const [duration, setDuration] = useState<MandateDuration>('1_an');
  const [method, setMethod] = useState<MandateConsentMethod>('code_sms');
  const [phone, setPhone] = useState(person.phone ?? '');
  const [reference, setReference] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<SmsChallengeView | null>(null);
  const scope = { all, organisationIds: all ? [] : organisationIds, procedures: all ? [] : procedures };
  const base = mandatesPath(territoryId, person.id);
  // A change of what the person agrees to needs a new code.
  const changing =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setChallenge(null);
    };

  const send = useMutation({
    mutationFn: () =>
      api.post<SmsChallengeView>(`${base}/sms-challenges`, {
        ...(renewing ? { contactPointId: renewing.contactPoint.id } : contactPointId ? { contactPointId } : {}),
        scope,
        duration,
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      }),
    onSuccess: (c) => {
      setChallenge(c);
      setCode('');
    },
  });
  const save = useMutation({
    mutationFn: () => {
      const consent = {
        duration,
        consentMethod: method,
        ...(method === 'code_sms' ? { challengeId: challenge?.id, code } : reference.trim() ? { consentReference: reference.trim() } : {}),
      };
      return renewing
        ? api.post<MandateView>(`${base}/${renewing.id}/renew`, { scope, ...consent })
        : api.post<MandateView>(base, { ...(contactPointId ? { contactPointId } : {}), scope, ...consent });
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: mandateKeys.list(territoryId, person.id) });
      onDone(created);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (method === 'code_sms' && !challenge) send.mutate();
    else save.mutate();
  };
  const catalogue = (organisations.data ?? []).flatMap((o) => {
    const entry = o.nationalCode ? catalogueEntry(o.nationalCode) : undefined;
    return entry?.procedures.length ? [{ organisation: o, procedures: entry.procedures }] : [];
  });
  const title = renewing ? 'Renouveler le mandat' : 'Nouveau mandat';
  return (
    <form noValidate aria-label={title} className="fr-mt-2w fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
      <ProblemAlert error={organisations.error} />
      <RadioButtons
        legend="Pour quels partenaires"
        name="perimetre"
        options={[
          { label: 'Tous les partenaires', nativeInputProps: { checked: all, onChange: () => changing(setAll)(true) } },
          {
            label: 'Des partenaires ou des démarches choisis',
            nativeInputProps: { checked: !all, onChange: () => changing(setAll)(false) },
          },
        ]}
      />
      {!all && (
        <>
          <Checkbox
            legend="Partenaires"
            small
            options={(organisations.data ?? []).map((o) => ({
              label: `${o.acronym} — ${o.name}`,
              nativeInputProps: {
                name: 'organisationIds',
                value: o.id,
                checked: organisationIds.includes(o.id),
                onChange: () => changing(setOrganisationIds)(toggle(organisationIds, o.id)),
              },
            }))}
          />
          {catalogue.length > 0 && (
            <details className="fr-mb-3w">
              <summary>
                Ou seulement certaines démarches ({procedures.length} choisie{procedures.length > 1 ? 's' : ''})
              </summary>
              {catalogue.map(({ organisation, procedures: list }) => (
                <Checkbox
                  key={organisation.id}
                  legend={organisation.acronym}
                  small
                  options={list.map((p) => ({
                    label: p,
                    nativeInputProps: {
                      name: 'procedures',
                      value: p,
                      checked: procedures.includes(p),
                      onChange: () => changing(setProcedures)(toggle(procedures, p)),
                    },
                  }))}
                />
              ))}
            </details>
          )}
        </>
      )}
      <RadioButtons
        legend="Durée"
        name="duree"
        orientation="horizontal"
        options={MandateDurations.map((d) => ({
          label: MandateDurationLabels[d],
          nativeInputProps: { value: d, checked: duration === d, onChange: () => changing(setDuration)(d) },
        }))}
      />
      <RadioButtons
        legend="Consentement de la personne"
        name="consentement"
        options={MandateConsentMethods.map((m) => ({
          label: MandateConsentMethodLabels[m],
          nativeInputProps: { value: m, checked: method === m, onChange: () => setMethod(m) },
        }))}
      />
      {method === 'code_sms' && (
        <>
          <Input
            label="Téléphone où envoyer le code"
            hintText="Le numéro de la fiche, ou un autre donné par la personne"
            nativeInputProps={{ name: 'phone', type: 'tel', value: phone, onChange: (e) => changing(setPhone)(e.target.value) }}
            {...fieldState('phone', {}, send.error)}
          />
          <ProblemAlert error={send.error} />
          {challenge && (
            <>
              <p role="status">
                Code envoyé au {challenge.sentTo}, valable 10 minutes.
                {challenge.outbox && (
                  <>
                    {' '}
                    Aucun prestataire SMS n’est configuré : le message est dans la{' '}
                    {config.data?.smsOutbox !== false && <Link to="/boite-sms">Boîte d’envoi SMS</Link>}.
                  </>
                )}
              </p>
              <Input
                label="Code reçu par la personne"
                hintText="6 chiffres, lus par la personne sur son téléphone"
                nativeInputProps={{
                  name: 'code',
                  inputMode: 'numeric',
                  autoComplete: 'one-time-code',
                  maxLength: 6,
                  value: code,
                  onChange: (e) => setCode(e.target.value.replace(/\D/g, '')),
                }}
                {...fieldState('code', {}, save.error)}
              />
            </>
          )}
        </>
      )}
      {method === 'formulaire_signe' && (
        <>
          <p className="fr-text--sm">
            Enregistrez le mandat, imprimez le formulaire, faites-le signer par la personne, puis joignez le scan ou la photo du formulaire
            signé (PDF, JPEG ou PNG, 5 Mo au plus).
          </p>
          <Input
            label="Référence du formulaire (facultatif)"
            nativeInputProps={{ name: 'consentReference', value: reference, onChange: (e) => setReference(e.target.value) }}
          />
        </>
      )}
      {method === 'telephone' && (
        <Input
          label="Note sur l’appel (facultatif)"
          hintText="Date, heure, qui a appelé : la personne donne son accord au téléphone, l’agent le note ici."
          nativeInputProps={{ name: 'consentReference', value: reference, onChange: (e) => setReference(e.target.value) }}
        />
      )}
      <ProblemAlert error={save.error} />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          {method === 'code_sms' && !challenge ? (
            <Button type="submit" disabled={send.isPending}>
              Envoyer le code
            </Button>
          ) : (
            <Button type="submit" disabled={save.isPending || (method === 'code_sms' && code.length !== 6)}>
              {renewing ? 'Renouveler le mandat' : 'Enregistrer le mandat'}
            </Button>
          )}
        </li>
        {method === 'code_sms' && challenge && (
          <li>
            <Button type="button" priority="secondary" onClick={() => send.mutate()} disabled={send.isPending}>
              Renvoyer un code
            </Button>
          </li>
        )}
      </ul>
    </form>
  );
}
