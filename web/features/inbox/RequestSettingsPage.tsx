import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import {
  RequestIdentifierKinds,
  RequestIdentifierLabels,
  RequestSettingsBody,
  type RequestSettingsView,
} from '../../../contracts/requests.ts';
import { Themes } from '../../../contracts/themes.ts';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldState, formText, validate } from '../../components/form.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisationDetails } from '../partners/queries.ts';
import { requestKeys, useRequestSettings } from '../requests/queries.ts';
import { inboxPath } from './InboxTile.tsx';

const HOURS_EXAMPLE = 'Mo-Fr 08:30-12:00,13:30-17:00; PH off';

/** An organisation's request settings: deadlines in working days, required identifiers, business hours. */
export function RequestSettingsPage() {
  const territoryId = useTerritoryId();
  const { organisationId = '' } = useParams();
  const organisation = useOrganisationDetails(territoryId, organisationId);
  const settings = useRequestSettings(territoryId, organisationId);
  const acronym = organisation.data?.acronym ?? 'Partenaire';
  return (
    <>
      <Breadcrumb
        currentPageLabel="Paramètres des saisines"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Réseau', linkProps: { to: '/reseau' } },
          { label: acronym, linkProps: { to: `/reseau/partenaires/${organisationId}` } },
          { label: 'Boîte de réception', linkProps: { to: inboxPath(organisationId) } },
        ]}
      />
      <PageTitle>Paramètres des saisines</PageTitle>
      {organisation.data && (
        <p className="fr-text--lead">
          {organisation.data.acronym} — {organisation.data.name}
        </p>
      )}
      <QueryState query={settings}>{(s) => <SettingsForm territoryId={territoryId} settings={s} />}</QueryState>
    </>
  );
}

function SettingsForm({ territoryId, settings }: { territoryId: string; settings: RequestSettingsView }) {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: RequestSettingsBody) =>
      api.put<RequestSettingsView>(`/api/territories/${territoryId}/organisations/${settings.organisationId}/request-settings`, body),
    onSuccess: (view) => {
      queryClient.setQueryData(requestKeys.settings(territoryId, settings.organisationId), view);
      setSaved(true);
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const local: FieldErrors = {};
    const days = (name: string, required: boolean) => {
      const text = formText(form, name).trim();
      if (!text) {
        if (required) local[name] = 'Indiquez un nombre de jours ouvrés.';
        return undefined;
      }
      const n = Number(text);
      if (!Number.isInteger(n)) local[name] = 'Un nombre entier de jours ouvrés.';
      return n;
    };
    const themeDays: Record<string, number | undefined> = {};
    for (const t of Themes) {
      const n = days(`themeDays.${t.code}`, false);
      if (n !== undefined) themeDays[t.code] = n;
    }
    const values = {
      firstAnswerDays: days('firstAnswerDays', true),
      followUpDays: days('followUpDays', true),
      themeDays,
      requiredIdentifiers: form.getAll('requiredIdentifiers').map(String),
      businessHours: formText(form, 'businessHours').trim() || null,
    };
    const checked = validate(RequestSettingsBody, values);
    const all = { ...(checked.ok ? {} : checked.errors), ...local };
    setErrors(all);
    if (checked.ok && Object.keys(local).length === 0) save.mutate(checked.data);
  };
  const state = (name: string) => fieldState(name, errors, save.error);
  return (
    <form onSubmit={onSubmit} noValidate>
      {saved && <SuccessAlert>Paramètres enregistrés. Ils s’appliquent aux nouvelles saisines.</SuccessAlert>}
      <ProblemAlert error={save.error} />
      <h2 className="fr-h5">Délais de réponse</h2>
      <p className="fr-text--sm">En jours ouvrés, entre 1 et 60. Le délai est suspendu pendant une demande d’informations.</p>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Première réponse"
            hintText="Jours ouvrés pour répondre à une nouvelle saisine"
            {...state('firstAnswerDays')}
            nativeInputProps={{ name: 'firstAnswerDays', type: 'number', min: 1, max: 60, defaultValue: settings.firstAnswerDays }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Relance"
            hintText="Jours ouvrés pour répondre après les informations demandées"
            {...state('followUpDays')}
            nativeInputProps={{ name: 'followUpDays', type: 'number', min: 1, max: 60, defaultValue: settings.followUpDays }}
          />
        </div>
      </div>
      <fieldset className="fr-fieldset fr-mt-2w" aria-describedby="delais-themes-aide">
        <legend className="fr-fieldset__legend">Délais par thème (facultatif)</legend>
        <p id="delais-themes-aide" className="fr-fieldset__element fr-text--sm">
          Laissez vide pour appliquer le délai de première réponse.
        </p>
        <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
          {Themes.map((t) => (
            <div key={t.code} className="fr-col-6 fr-col-md-4 fr-col-lg-3">
              <Input
                label={t.label}
                {...state(`themeDays.${t.code}`)}
                nativeInputProps={{
                  name: `themeDays.${t.code}`,
                  type: 'number',
                  min: 1,
                  max: 60,
                  defaultValue: settings.themeDays[t.code] ?? '',
                }}
              />
            </div>
          ))}
        </div>
      </fieldset>
      <Checkbox
        className="fr-mt-2w"
        orientation="horizontal"
        legend="Identifiants à fournir avec chaque saisine"
        hintText="Le formulaire des lieux d’accueil les demande ; ceux du dossier de la personne sont repris."
        state={errors.requiredIdentifiers ? 'error' : 'default'}
        stateRelatedMessage={errors.requiredIdentifiers}
        options={RequestIdentifierKinds.map((kind) => ({
          label: RequestIdentifierLabels[kind],
          nativeInputProps: {
            name: 'requiredIdentifiers',
            value: kind,
            defaultChecked: settings.requiredIdentifiers.includes(kind),
          },
        }))}
      />
      <Input
        label="Heures ouvrées"
        hintText={`Au format OpenStreetMap, par exemple : ${HOURS_EXAMPLE}. Le délai ne court que pendant ces heures.`}
        {...state('businessHours')}
        nativeInputProps={{ name: 'businessHours', defaultValue: settings.businessHours ?? '', spellCheck: false, autoComplete: 'off' }}
      />
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? 'Enregistrement…' : 'Enregistrer'}
      </Button>
    </form>
  );
}
