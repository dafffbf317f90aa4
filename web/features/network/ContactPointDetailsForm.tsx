import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  type ContactPointDetails,
  ContactPointKindLabels,
  ContactPointKinds,
  type ContactPointView,
  UpdateContactPointBody,
} from '../../../contracts/network.ts';
import { ApiError, api } from '../../api/client.ts';
import { fieldState, formText, useValidatedForm } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ThemesCheckbox } from '../../components/ThemesCheckbox.tsx';
import { HoursEditor } from './HoursEditor.tsx';
import { networkKeys } from './queries.ts';

type Body = Record<string, unknown>;
const TEXT_FIELDS = [
  'name',
  'commune',
  'inseeCode',
  'matricule',
  'labelDate',
  'address',
  'addressComplement',
  'postcode',
  'phone',
  'email',
  'website',
  'managingBody',
  'managingBodyType',
  'description',
  'accessibility',
  'openingHours',
] as const;
const REQUIRED = new Set(['name', 'commune']);

function Fieldset({ legend, id, children }: { legend: string; id: string; children: ReactNode }) {
  return (
    <fieldset className="fr-fieldset fr-mb-3w" aria-labelledby={`${id}-legende`}>
      <legend className="fr-fieldset__legend fr-h6" id={`${id}-legende`}>
        {legend}
      </legend>
      <div className="fr-fieldset__element">{children}</div>
    </fieldset>
  );
}

const numberOrText = (v: string) => {
  const t = v.trim().replace(',', '.');
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};

/** Every field of a contact point, grouped; sends only what changed. */
export function ContactPointDetailsForm({ territoryId, cp }: { territoryId: string; cp: ContactPointDetails }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState(cp.kind);
  const [nothing, setNothing] = useState(false);
  const save = useMutation({
    mutationFn: (body: Body) => api.patch<ContactPointView>(`/api/territories/${territoryId}/contact-points/${cp.id}`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: networkKeys.contactPoints(territoryId) });
      await queryClient.invalidateQueries({ queryKey: networkKeys.labelChecks(territoryId) });
    },
  });
  const { errors, onSubmit } = useValidatedForm(
    UpdateContactPointBody,
    (form) => {
      const body: Body = { kind: formText(form, 'kind') };
      for (const f of TEXT_FIELDS) {
        const v = formText(form, f).trim();
        body[f] = v || (REQUIRED.has(f) ? '' : null);
      }
      if (typeof body.inseeCode === 'string') body.inseeCode = body.inseeCode.toUpperCase();
      if (body.kind !== 'france_services') {
        body.matricule = null;
        body.labelDate = null;
      }
      body.latitude = numberOrText(formText(form, 'latitude'));
      body.longitude = numberOrText(formText(form, 'longitude'));
      const wheelchair = formText(form, 'wheelchairAccessible');
      body.wheelchairAccessible = wheelchair === 'oui' ? true : wheelchair === 'non' ? false : null;
      body.themes = form.getAll('themes').map(String);
      return body;
    },
    (body) => {
      const existing = cp as unknown as Record<string, unknown>;
      const changed = Object.fromEntries(
        Object.entries(body).filter(([k, v]) => JSON.stringify(v ?? null) !== JSON.stringify(existing[k] ?? null)),
      );
      setNothing(Object.keys(changed).length === 0);
      if (Object.keys(changed).length) save.mutate(changed);
    },
  );
  const field = (name: string) => fieldState(name, errors, save.error);
  const apiHoursError = errors.openingHours ?? (save.error instanceof ApiError ? save.error.fieldError('openingHours') : undefined);
  const text = (name: (typeof TEXT_FIELDS)[number], label: string, extra: { hint?: string; type?: string; area?: boolean } = {}) =>
    extra.area ? (
      <Input
        textArea
        label={label}
        hintText={extra.hint}
        nativeTextAreaProps={{ id: `lieu-${name}`, name, rows: 3, defaultValue: (cp[name] as string | null) ?? '' }}
        {...field(name)}
      />
    ) : (
      <Input
        label={label}
        hintText={extra.hint}
        nativeInputProps={{
          id: `lieu-${name}`,
          name,
          type: extra.type ?? 'text',
          required: REQUIRED.has(name),
          defaultValue: (cp[name] as string | null) ?? '',
        }}
        {...field(name)}
      />
    );
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Modifier la fiche du lieu">
      {save.isSuccess && !nothing && (
        <Alert className="fr-mb-3w" severity="success" small role="status" description="Modifications enregistrées." />
      )}
      {nothing && <Alert className="fr-mb-3w" severity="info" small role="status" description="Aucune modification à enregistrer." />}
      <ProblemAlert error={save.error} />
      <Fieldset legend="Identité du lieu" id="fs-identite">
        {text('name', 'Nom du lieu')}
        <Select
          label="Type de lieu"
          nativeSelectProps={{ id: 'lieu-kind', name: 'kind', value: kind, onChange: (e) => setKind(e.target.value as typeof kind) }}
          {...field('kind')}
        >
          {ContactPointKinds.map((k) => (
            <option key={k} value={k}>
              {ContactPointKindLabels[k]}
            </option>
          ))}
        </Select>
        {kind === 'france_services' && (
          <>
            {text('matricule', 'Matricule France Services (facultatif)', { hint: 'L’identifiant officiel de l’ANCT' })}
            {text('labelDate', 'Date de labellisation (facultatif)', { type: 'date' })}
          </>
        )}
      </Fieldset>
      <Fieldset legend="Adresse et localisation" id="fs-adresse">
        {text('address', 'Adresse (facultatif)', { hint: 'Numéro et voie, par exemple : 1 place du Général de Gaulle' })}
        {text('addressComplement', 'Complément d’adresse (facultatif)')}
        {text('postcode', 'Code postal (facultatif)', { hint: '5 chiffres, par exemple : 61110' })}
        {text('commune', 'Commune')}
        {text('inseeCode', 'Code INSEE de la commune (facultatif)', { hint: '5 caractères, par exemple : 61345' })}
        <Input
          label="Latitude (facultatif)"
          hintText="Degrés décimaux, par exemple : 48.4295"
          nativeInputProps={{ id: 'lieu-latitude', name: 'latitude', inputMode: 'decimal', defaultValue: cp.latitude ?? '' }}
          {...field('latitude')}
        />
        <Input
          label="Longitude (facultatif)"
          hintText="Degrés décimaux, par exemple : 0.7773"
          nativeInputProps={{ id: 'lieu-longitude', name: 'longitude', inputMode: 'decimal', defaultValue: cp.longitude ?? '' }}
          {...field('longitude')}
        />
      </Fieldset>
      <Fieldset legend="Contact" id="fs-contact">
        {text('phone', 'Téléphone (facultatif)', { type: 'tel', hint: 'Par exemple : 02 33 73 81 00' })}
        {text('email', 'Adresse e-mail (facultatif)', { type: 'email' })}
        {text('website', 'Site web (facultatif)', { type: 'url', hint: 'Commence par https://' })}
      </Fieldset>
      <Fieldset legend="Structure et présentation" id="fs-structure">
        {text('managingBody', 'Structure porteuse (facultatif)', { hint: 'Commune, communauté de communes, La Poste, association…' })}
        {text('managingBodyType', 'Type de structure porteuse (facultatif)')}
        {text('description', 'Présentation (facultatif)', { area: true })}
        <ThemesCheckbox legend="Thèmes traités sur place" selected={cp.themes} error={errors.themes} />
      </Fieldset>
      <Fieldset legend="Accessibilité" id="fs-accessibilite">
        <Select
          label="Accessible en fauteuil roulant"
          nativeSelectProps={{
            id: 'lieu-fauteuil',
            name: 'wheelchairAccessible',
            defaultValue: cp.wheelchairAccessible === null ? '' : cp.wheelchairAccessible ? 'oui' : 'non',
          }}
        >
          <option value="">Non renseigné</option>
          <option value="oui">Oui</option>
          <option value="non">Non</option>
        </Select>
        {text('accessibility', 'Informations d’accessibilité (facultatif)', {
          area: true,
          hint: 'Accès de plain-pied, boucle magnétique, stationnement…',
        })}
      </Fieldset>
      <Fieldset legend="Horaires" id="fs-horaires">
        {cp.hoursReview && (
          <Alert
            className="fr-mb-2w"
            severity="warning"
            small
            description={`Horaires à vérifier après l’import : ${cp.hoursReview}. Enregistrer des horaires clôt cette vérification.`}
          />
        )}
        <HoursEditor
          territoryId={territoryId}
          id="lieu-openingHours"
          name="openingHours"
          defaultValue={cp.openingHours ?? ''}
          apiError={apiHoursError}
        />
      </Fieldset>
      <Button type="submit" disabled={save.isPending}>
        Enregistrer la fiche
      </Button>
    </form>
  );
}
