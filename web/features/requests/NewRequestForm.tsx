import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { MandateView } from '../../../contracts/mandates.ts';
import type { OrganisationView } from '../../../contracts/network.ts';
import type { PersonView } from '../../../contracts/people.ts';
import {
  type CreatedRequestView,
  CreateRequestBody,
  type RequestIdentifierKind,
  RequestIdentifierLabels,
} from '../../../contracts/requests.ts';
import type { TaxonomyThemeView } from '../../../contracts/taxonomy.ts';
import { ApiError, api } from '../../api/client.ts';
import { type FieldErrors, fieldState, validate } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SheetSuggestions } from '../knowledge/SheetSuggestions.tsx';
import type { AgentPlace } from '../visits/contact-point-choice.ts';
import { AttachmentsField, type PendingFile, pendingFileOf, uploadErrorText } from './AttachmentsField.tsx';
import { type ConsentChoice, ConsentField, coveringMandates } from './ConsentField.tsx';
import { IdentifierInputHints, personHasIdentifier } from './person-identifiers.ts';
import { requestKeys, requestsPath, useAssignees, useOrganisationProcedures, useRequestSettings, workingDays } from './queries.ts';
import { uploadAttachment } from './upload.ts';
import './requests.css';

const isForbidden = (error: unknown) => error instanceof ApiError && error.status === 403;

const DESCRIPTION_HINT =
  'Décrivez la situation de la personne, ce qui a déjà été essayé (démarches, appels, pièces fournies) et ce que vous demandez précisément au partenaire.';

interface Props {
  territoryId: string;
  place: AgentPlace;
  places: AgentPlace[];
  onChoosePlace: (id: string) => void;
  organisations: OrganisationView[];
  themes: TaxonomyThemeView[];
  person?: PersonView;
  mandates: MandateView[];
  visitId?: string;
  initialOrganisationId: string;
}

/** The request form: partner, referent, theme, procedure, subject, description, identifiers, consent, attachments. */
export function NewRequestForm(props: Props) {
  const { territoryId, person } = props;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useId().replace(/:/g, '');
  const fieldId = (name: string) => `${id}-${name.replace(/\./g, '-')}`;
  const [organisationId, setOrganisationId] = useState(
    props.organisations.some((o) => o.id === props.initialOrganisationId) ? props.initialOrganisationId : '',
  );
  const [addressedToUserId, setAddressedToUserId] = useState('');
  const [themeCode, setThemeCode] = useState('');
  const [procedure, setProcedure] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [identifiers, setIdentifiers] = useState<Partial<Record<RequestIdentifierKind, string>>>({});
  const [consent, setConsent] = useState<ConsentChoice>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const [apiError, setApiError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedRequestView | null>(null);
  // One key for the form's life: a double click or a retry after a lost answer creates one request.
  const idempotencyKey = useRef(crypto.randomUUID());

  const organisation = props.organisations.find((o) => o.id === organisationId);
  const settings = useRequestSettings(territoryId, organisationId);
  const assignees = useAssignees(territoryId, organisationId);
  const procedures = useOrganisationProcedures(territoryId, organisationId);
  const required = settings.data?.requiredIdentifiers ?? [];
  // The named referents, when the caller may list them (else the request goes to the organisation's inbox).
  const referents = assignees.data?.items ?? [];
  const mandates = organisation ? coveringMandates(props.mandates, organisation.id, props.place.id) : [];
  const days = settings.data ? (settings.data.themeDays[themeCode] ?? settings.data.firstAnswerDays) : null;
  const themes = props.themes.filter((t) => !t.archived && (t.kind !== 'partenaire' || t.organisationId === organisationId));

  const chooseOrganisation = (next: string) => {
    setOrganisationId(next);
    setAddressedToUserId('');
    setProcedure('');
    setConsent(null);
    if (themes.find((t) => t.code === themeCode)?.kind === 'partenaire') setThemeCode('');
  };

  const bodyOf = () => {
    const typed = Object.fromEntries(
      Object.entries(identifiers)
        .map(([k, v]) => [k, (v ?? '').trim()])
        .filter(([k, v]) => v && required.includes(k as RequestIdentifierKind)),
    );
    return {
      contactPointId: props.place.id,
      organisationId,
      ...(addressedToUserId ? { addressedToUserId } : {}),
      ...(person ? { personId: person.id } : {}),
      ...(props.visitId ? { visitId: props.visitId } : {}),
      ...(themeCode ? { themeCode } : {}),
      ...(procedure.trim() ? { procedure: procedure.trim() } : {}),
      subject,
      description,
      identifiers: typed,
      ...(person && consent
        ? { consent: consent.kind === 'consentement' ? { kind: 'consentement' } : { kind: 'mandat', mandateId: consent.mandateId ?? '' } }
        : {}),
    };
  };

  const checkLocally = (): FieldErrors => {
    const body = bodyOf();
    const checked = validate(CreateRequestBody, body);
    const found: FieldErrors = checked.ok ? {} : { ...checked.errors };
    if (!organisationId) found.organisationId = 'choisissez le partenaire à saisir';
    if (person && !consent) found.consent = 'indiquez l’accord de la personne ou le mandat utilisé';
    if (consent?.kind === 'mandat' && !consent.mandateId) found.consent = 'choisissez le mandat utilisé';
    // Required with a person's file (the server takes the rest from it); optional for a request about no one.
    for (const kind of person ? required : [])
      if (!personHasIdentifier(person, kind) && !identifiers[kind]?.trim())
        found[`identifiers.${kind}`] = `demandé par ${organisation?.acronym ?? 'le partenaire'}`;
    return found;
  };

  const uploadAll = async (request: CreatedRequestView, list: PendingFile[]) => {
    let failed = false;
    for (const item of list) {
      if (item.state === 'envoye') continue;
      const update = (patch: Partial<PendingFile>) => setFiles((fs) => fs.map((f) => (f.key === item.key ? { ...f, ...patch } : f)));
      update({ state: 'envoi', progress: 0, error: undefined });
      try {
        await uploadAttachment(territoryId, request.id, item.file, (progress) => update({ progress }));
        update({ state: 'envoye', progress: 1 });
      } catch (error) {
        failed = true;
        update({ state: 'erreur', error: uploadErrorText(error) });
      }
    }
    return !failed;
  };

  const toReceipt = (request: CreatedRequestView) =>
    void navigate(`/saisines/${request.id}/recepisse`, { state: { justSent: true, statusCode: request.statusCode } });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending || created) return;
    const found = checkLocally();
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      const target = document.getElementById(fieldId(first));
      (target?.matches('input, select, textarea') ? target : target?.querySelector<HTMLElement>('input:not(:disabled)'))?.focus();
      return;
    }
    setPending(true);
    setApiError(null);
    try {
      const request = await api.post<CreatedRequestView>(requestsPath(territoryId), bodyOf(), {
        headers: { 'idempotency-key': idempotencyKey.current },
      });
      setCreated(request);
      void queryClient.invalidateQueries({ queryKey: requestKeys.all(territoryId) });
      queryClient.setQueryData(requestKeys.one(territoryId, request.id), request);
      if (await uploadAll(request, files)) toReceipt(request);
    } catch (error) {
      setApiError(error);
      // Refused as written: nothing was created, the corrected form is a new request.
      if (error instanceof ApiError && (error.status === 400 || error.status === 422)) idempotencyKey.current = crypto.randomUUID();
    } finally {
      setPending(false);
    }
  };

  const retryUploads = async () => {
    if (!created) return;
    setPending(true);
    const ok = await uploadAll(created, files);
    setPending(false);
    if (ok) toReceipt(created);
  };

  const state = (name: string) => fieldState(name, errors, apiError);
  const locked = !!created;
  const failedUploads = files.filter((f) => f.state === 'erreur');

  return (
    <form noValidate aria-label="Nouvelle saisine" className="fr-col-12 fr-col-md-10 fr-col-lg-8 fr-px-0" onSubmit={onSubmit}>
      <fieldset className="fr-fieldset" disabled={locked}>
        <legend className="fr-fieldset__legend fr-h5">Destinataire</legend>
        <div className="fr-fieldset__element">
          {props.places.length > 1 ? (
            <Select
              label="Lieu d’accueil qui saisit"
              nativeSelectProps={{
                id: fieldId('contactPointId'),
                value: props.place.id,
                onChange: (e) => props.onChoosePlace(e.target.value),
              }}
            >
              {props.places.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          ) : (
            <p>
              Lieu d’accueil qui saisit : <strong>{props.place.name}</strong>
            </p>
          )}
        </div>
        <div className="fr-fieldset__element">
          <Select
            label="Partenaire à saisir"
            nativeSelectProps={{
              id: fieldId('organisationId'),
              value: organisationId,
              onChange: (e) => chooseOrganisation(e.target.value),
            }}
            {...state('organisationId')}
          >
            <option value="" disabled>
              Choisir un partenaire
            </option>
            {props.organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {`${o.acronym} — ${o.name}`}
              </option>
            ))}
          </Select>
        </div>
        {organisation && (
          <div className="fr-fieldset__element">
            {referents.length > 0 ? (
              <Select
                label="Référent (facultatif)"
                hint="Sans référent nommé, la saisine arrive dans la boîte de réception du partenaire."
                nativeSelectProps={{
                  id: fieldId('addressedToUserId'),
                  value: addressedToUserId,
                  onChange: (e) => setAddressedToUserId(e.target.value),
                }}
                {...state('addressedToUserId')}
              >
                <option value="">{`Toute l’équipe ${organisation.acronym}`}</option>
                {referents.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </Select>
            ) : (
              <p className="fr-text--sm">{`La saisine arrive dans la boîte de réception de ${organisation.acronym}.`}</p>
            )}
            <ProblemAlert error={settings.error ?? (isForbidden(assignees.error) ? null : assignees.error)} />
          </div>
        )}
      </fieldset>

      <fieldset className="fr-fieldset" disabled={locked}>
        <legend className="fr-fieldset__legend fr-h5">La demande</legend>
        <div className="fr-fieldset__element">
          <Select
            label="Thème (facultatif)"
            nativeSelectProps={{ id: fieldId('themeCode'), value: themeCode, onChange: (e) => setThemeCode(e.target.value) }}
            {...state('themeCode')}
          >
            <option value="">Aucun thème</option>
            {themes.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-fieldset__element">
          <Input
            label="Démarche (facultatif)"
            hintText={procedures.length ? 'Choisissez dans la liste du partenaire ou écrivez-la' : 'Par exemple : prime d’activité'}
            nativeInputProps={{
              id: fieldId('procedure'),
              list: procedures.length ? `${id}-demarches` : undefined,
              value: procedure,
              maxLength: 200,
              autoComplete: 'off',
              onChange: (e) => setProcedure(e.target.value),
            }}
            {...state('procedure')}
          />
          {procedures.length > 0 && (
            <datalist id={`${id}-demarches`}>
              {procedures.map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
          )}
        </div>
        <div className="fr-fieldset__element">
          <Input
            label="Objet"
            hintText="Une ligne, lue en premier par le partenaire"
            nativeInputProps={{ id: fieldId('subject'), value: subject, maxLength: 200, onChange: (e) => setSubject(e.target.value) }}
            {...state('subject')}
          />
        </div>
        <div className="fr-fieldset__element">
          <Input
            textArea
            label="Description"
            hintText={DESCRIPTION_HINT}
            nativeTextAreaProps={{
              id: fieldId('description'),
              rows: 8,
              value: description,
              maxLength: 10_000,
              placeholder: 'Situation : …\nDéjà essayé : …\nCe que nous demandons : …',
              onChange: (e) => setDescription(e.target.value),
            }}
            {...state('description')}
          />
        </div>
      </fieldset>

      <SheetSuggestions
        title="Avant de saisir : ces fiches répondent peut-être"
        organisationIds={organisationId ? [organisationId] : []}
        themeCodes={themeCode ? [themeCode] : []}
        text={`${subject}\n${description}`}
        context="saisine"
      />

      {organisation && required.length > 0 && (
        <fieldset className="fr-fieldset" disabled={locked}>
          <legend className="fr-fieldset__legend fr-h5">
            {`Identifiants demandés par ${organisation.acronym}`}
            <span className="fr-hint-text">
              {person
                ? 'Ceux que le dossier de la personne contient déjà y seront pris : laissez-les vides.'
                : 'La saisine ne concerne pas de dossier : indiquez-les si vous les connaissez.'}
            </span>
          </legend>
          {required.map((kind) => {
            const onFile = personHasIdentifier(person, kind);
            const input = IdentifierInputHints[kind];
            return (
              <div className="fr-fieldset__element" key={kind}>
                <Input
                  label={onFile || !person ? `${RequestIdentifierLabels[kind]} (facultatif)` : RequestIdentifierLabels[kind]}
                  hintText={onFile ? 'sera pris dans le dossier de la personne' : input.hint}
                  nativeInputProps={{
                    id: fieldId(`identifiers.${kind}`),
                    type: input.type ?? 'text',
                    inputMode: input.inputMode,
                    maxLength: 200,
                    value: identifiers[kind] ?? '',
                    onChange: (e) => setIdentifiers((all) => ({ ...all, [kind]: e.target.value })),
                  }}
                  {...state(`identifiers.${kind}`)}
                />
              </div>
            );
          })}
        </fieldset>
      )}

      {person && organisation && (
        <div id={fieldId('consent')}>
          <ConsentField
            organisationName={organisation.name}
            recordedConsent={person.consents.find((c) => c.organisationId === organisation.id && !c.withdrawnAt)}
            mandates={mandates}
            value={consent}
            onChange={setConsent}
            disabled={locked}
            error={errors.consent ?? (apiError instanceof ApiError ? apiError.fieldError('consent') : undefined)}
          />
        </div>
      )}

      <AttachmentsField
        files={files}
        locked={locked}
        onAdd={(picked) => setFiles((fs) => [...fs, ...picked.map(pendingFileOf)])}
        onRemove={(key) => setFiles((fs) => fs.filter((f) => f.key !== key))}
      />

      {organisation && days !== null && (
        <div className="fr-callout fr-mb-3w">
          <p className="fr-callout__text">{`Réponse attendue sous ${workingDays(days)}`}</p>
          <p className="fr-text--sm fr-mb-0">{`Délai de ${organisation.acronym}, compté à partir de l’envoi.`}</p>
        </div>
      )}

      <ProblemAlert error={apiError} />
      {created && failedUploads.length > 0 && !pending && (
        <div className="fr-alert fr-alert--warning fr-mb-3w" role="alert">
          <h3 className="fr-alert__title">{`La saisine ${created.reference} est envoyée, mais des pièces jointes ne sont pas parties`}</h3>
          <p>Vous pouvez réessayer, ou les ajouter plus tard depuis la saisine.</p>
        </div>
      )}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        {!created ? (
          <li>
            <Button type="submit" iconId="fr-icon-mail-line" disabled={pending}>
              {pending ? 'Envoi en cours…' : 'Envoyer la saisine'}
            </Button>
          </li>
        ) : (
          <>
            {failedUploads.length > 0 && (
              <li>
                <Button type="button" onClick={() => void retryUploads()} disabled={pending}>
                  Réessayer l’envoi des pièces jointes
                </Button>
              </li>
            )}
            <li>
              <Button type="button" priority="secondary" onClick={() => toReceipt(created)} disabled={pending}>
                Voir le récépissé
              </Button>
            </li>
          </>
        )}
      </ul>
    </form>
  );
}
