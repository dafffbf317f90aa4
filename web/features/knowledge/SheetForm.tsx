import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  CreateProposalBody,
  CreateSheetBody,
  type EditableOwners,
  type SheetSectionKey,
  SheetSectionKeys,
  SheetSectionLabels,
  type SheetView,
} from '../../../contracts/knowledge.ts';
import type { TaxonomyThemeView } from '../../../contracts/taxonomy.ts';
import { ApiError, api } from '../../api/client.ts';
import { type FieldErrors, fieldState, validate } from '../../components/form.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { ServerHtml } from './parts.tsx';
import { knowledgePath } from './queries.ts';

/** The owner select's value for a sheet of the network itself (organisationId null). */
const NETWORK = 'reseau';

export interface SheetFormValues {
  title: string;
  summary: string;
  /** NETWORK for the network's own sheets. */
  owner: string;
  themeCodes: string[];
  /** Comma-separated, as typed. */
  keywords: string;
  sections: Record<SheetSectionKey, string>;
  status: 'brouillon' | 'publiee';
  changeNote: string;
  /** A proposal's explanation. */
  comment: string;
}

export const emptySheetValues = (owner: string | null): SheetFormValues => ({
  title: '',
  summary: '',
  owner: owner ?? NETWORK,
  themeCodes: [],
  keywords: '',
  sections: { audience: '', prepare: '', steps: '', links: '', pitfalls: '', escalate: '' },
  status: 'brouillon',
  changeNote: '',
  comment: '',
});

export const sheetValues = (sheet: SheetView): SheetFormValues => ({
  title: sheet.title,
  summary: sheet.summary,
  owner: sheet.organisation?.id ?? NETWORK,
  themeCodes: sheet.themes.map((t) => t.code),
  keywords: sheet.keywords.join(', '),
  sections: { ...sheet.sections },
  status: sheet.status === 'publiee' ? 'publiee' : 'brouillon',
  changeNote: '',
  comment: '',
});

/** The sheet body of the API (create and update), from the form's values. */
export const sheetBodyOf = (v: SheetFormValues) => ({
  title: v.title,
  summary: v.summary,
  organisationId: v.owner === NETWORK ? null : v.owner,
  themeCodes: v.themeCodes,
  keywords: v.keywords
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean),
  sections: v.sections,
  status: v.status,
  ...(v.changeNote.trim() ? { changeNote: v.changeNote } : {}),
});

/** A proposal's body without its base version, from the form's values. */
export const proposalBodyOf = (v: SheetFormValues) => ({ title: v.title, summary: v.summary, sections: v.sections, comment: v.comment });

const SECTION_HINTS: Record<SheetSectionKey, string> = {
  audience: 'Les personnes concernées, les conditions à remplir',
  prepare: 'Les pièces et informations à réunir avant de commencer',
  steps: 'Obligatoire : la démarche pas à pas',
  links: 'Les sites, formulaires et numéros utiles',
  pitfalls: 'Les erreurs courantes et comment les éviter',
  escalate: 'Les cas où il faut saisir le partenaire, et ce qu’il faut lui transmettre',
};

/**
 * The sheet editor: in `sheet` mode every field (owner, themes, keywords, status, change note);
 * in `proposal` mode the text only (title, summary, sections) and a required comment.
 */
export function SheetForm(props: {
  mode: 'sheet' | 'proposal';
  territoryId: string;
  initial: SheetFormValues;
  owners?: EditableOwners;
  /** The territory's themes (taxonomy), for the theme checkboxes. */
  themes?: TaxonomyThemeView[];
  label: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: SheetFormValues) => void;
  /** Under the submit button (a conflict message, a cancel link). */
  children?: React.ReactNode;
}) {
  const id = useId().replace(/:/g, '');
  const fieldId = (name: string) => `${id}-${name.replace(/\./g, '-')}`;
  const [values, setValues] = useState<SheetFormValues>(props.initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = <K extends keyof SheetFormValues>(key: K, value: SheetFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setSection = (key: SheetSectionKey, text: string) => setValues((v) => ({ ...v, sections: { ...v.sections, [key]: text } }));
  const state = (name: string) => fieldState(name, errors, props.error);
  const isSheet = props.mode === 'sheet';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (props.pending) return;
    const checked = isSheet
      ? validate(CreateSheetBody, sheetBodyOf(values))
      : validate(CreateProposalBody, { ...proposalBodyOf(values), baseVersion: 1 });
    const found: FieldErrors = {};
    // « keywords.2 » is shown on the keywords field.
    for (const [key, message] of Object.entries(checked.ok ? {} : checked.errors))
      found[key.startsWith('sections.') ? key : (key.split('.')[0] ?? key)] ??= message;
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      const target = document.getElementById(fieldId(first));
      (target?.matches('input, select, textarea') ? target : target?.querySelector<HTMLElement>('input'))?.focus();
      return;
    }
    props.onSubmit(values);
  };

  const ownerOptions = props.owners ?? [];
  const themeChoices = (props.themes ?? []).filter(
    (t) =>
      values.themeCodes.includes(t.code) ||
      (!t.archived && (t.kind !== 'partenaire' || (values.owner !== NETWORK && t.organisationId === values.owner))),
  );
  const themeError = errors.themeCodes ?? (props.error instanceof ApiError ? props.error.fieldError('themeCodes') : undefined);

  return (
    <form noValidate aria-label={props.label} className="fr-col-12 fr-col-lg-10 fr-px-0" onSubmit={onSubmit}>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-h5">La fiche</legend>
        <div className="fr-fieldset__element">
          <Input
            label="Titre"
            hintText="La question telle que la pose l’usager, par exemple : Demander l’aide au logement"
            nativeInputProps={{ id: fieldId('title'), value: values.title, maxLength: 200, onChange: (e) => set('title', e.target.value) }}
            {...state('title')}
          />
        </div>
        <div className="fr-fieldset__element">
          <Input
            label="Résumé (facultatif)"
            hintText="Une ou deux phrases, montrées dans les résultats et les suggestions"
            textArea
            nativeTextAreaProps={{
              id: fieldId('summary'),
              rows: 2,
              value: values.summary,
              maxLength: 400,
              onChange: (e) => set('summary', e.target.value),
            }}
            {...state('summary')}
          />
        </div>
        {isSheet && (
          <>
            <div className="fr-fieldset__element">
              <Select
                label="Responsable de la fiche"
                hint="Ses référents (ou la coordination pour le réseau) la valident et la tiennent à jour"
                nativeSelectProps={{ id: fieldId('organisationId'), value: values.owner, onChange: (e) => set('owner', e.target.value) }}
                {...state('organisationId')}
              >
                {ownerOptions.map((o) => (
                  <option key={o.organisationId ?? NETWORK} value={o.organisationId ?? NETWORK}>
                    {o.label}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-fieldset__element" id={fieldId('themeCodes')}>
              <Checkbox
                legend="Thèmes"
                orientation="horizontal"
                small
                state={themeError ? 'error' : 'default'}
                stateRelatedMessage={themeError}
                options={themeChoices.map((t) => ({
                  label: t.label,
                  nativeInputProps: {
                    name: 'themeCodes',
                    value: t.code,
                    checked: values.themeCodes.includes(t.code),
                    onChange: (e) =>
                      set('themeCodes', e.target.checked ? [...values.themeCodes, t.code] : values.themeCodes.filter((c) => c !== t.code)),
                  },
                }))}
              />
            </div>
            <div className="fr-fieldset__element">
              <Input
                label="Mots-clés (facultatif)"
                hintText="Séparés par des virgules : les mots de l’usager, les sigles (APL, AL, aide au loyer)"
                nativeInputProps={{ id: fieldId('keywords'), value: values.keywords, onChange: (e) => set('keywords', e.target.value) }}
                {...state('keywords')}
              />
            </div>
          </>
        )}
      </fieldset>

      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-h5">
          Contenu
          <span className="fr-hint-text">
            Mise en forme Markdown : une ligne vide entre deux paragraphes, « - » en début de ligne pour une liste, « 1. » pour une liste
            numérotée, **gras**, [texte du lien](https://adresse). Le HTML n’est pas accepté.
          </span>
        </legend>
        {SheetSectionKeys.map((key) => (
          <SectionField
            key={key}
            territoryId={props.territoryId}
            id={fieldId(`sections.${key}`)}
            label={key === 'steps' ? SheetSectionLabels[key] : `${SheetSectionLabels[key]} (facultatif)`}
            hint={SECTION_HINTS[key]}
            value={values.sections[key]}
            onChange={(text) => setSection(key, text)}
            state={state(`sections.${key}`)}
          />
        ))}
      </fieldset>

      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-h5">{isSheet ? 'Publication' : 'Votre proposition'}</legend>
        {isSheet ? (
          <>
            <div className="fr-fieldset__element">
              <RadioButtons
                legend="Statut"
                orientation="horizontal"
                state={state('status').state}
                stateRelatedMessage={state('status').stateRelatedMessage}
                options={[
                  {
                    label: 'Brouillon',
                    hintText: 'Visible de ses responsables seulement',
                    nativeInputProps: { checked: values.status === 'brouillon', onChange: () => set('status', 'brouillon') },
                  },
                  {
                    label: 'Publiée',
                    hintText: 'Visible de tout le réseau',
                    nativeInputProps: { checked: values.status === 'publiee', onChange: () => set('status', 'publiee') },
                  },
                ]}
              />
            </div>
            <div className="fr-fieldset__element">
              <Input
                label="Note de modification (facultatif)"
                hintText="Ce qui change, pour l’historique : par exemple « montants 2026 »"
                nativeInputProps={{
                  id: fieldId('changeNote'),
                  value: values.changeNote,
                  maxLength: 300,
                  onChange: (e) => set('changeNote', e.target.value),
                }}
                {...state('changeNote')}
              />
            </div>
          </>
        ) : (
          <div className="fr-fieldset__element">
            <Input
              label="Commentaire pour le responsable de la fiche"
              hintText="Ce qui est faux ou manque, et d’où vient l’information"
              textArea
              nativeTextAreaProps={{
                id: fieldId('comment'),
                rows: 3,
                value: values.comment,
                maxLength: 2000,
                onChange: (e) => set('comment', e.target.value),
              }}
              {...state('comment')}
            />
          </div>
        )}
      </fieldset>

      <ProblemAlert error={props.error instanceof ApiError && props.error.code === 'SHEET_VERSION_CONFLICT' ? null : props.error} />
      {props.children}
      <Button type="submit" disabled={props.pending}>
        {props.pending ? 'Enregistrement…' : props.submitLabel}
      </Button>
    </form>
  );
}

/** A section's textarea with its « Aperçu » toggle (rendered by the server, as the sheet will show it). */
function SectionField(props: {
  territoryId: string;
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (text: string) => void;
  state: ReturnType<typeof fieldState>;
}) {
  const [preview, setPreview] = useState(false);
  const markdown = useDebounced(props.value, 400);
  const rendered = useQuery({
    queryKey: ['knowledge-preview', props.territoryId, markdown],
    queryFn: ({ signal }) => api.post<{ html: string }>(`${knowledgePath(props.territoryId)}/preview`, { markdown }, { signal }),
    enabled: preview,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const previewId = `${props.id}-apercu`;
  return (
    <div className="fr-fieldset__element">
      <Input
        label={props.label}
        hintText={props.hint}
        textArea
        nativeTextAreaProps={{ id: props.id, rows: 5, value: props.value, onChange: (e) => props.onChange(e.target.value) }}
        {...props.state}
      />
      <Button
        type="button"
        size="small"
        priority="tertiary"
        iconId={preview ? 'fr-icon-eye-off-line' : 'fr-icon-eye-line'}
        nativeButtonProps={{ 'aria-pressed': preview, 'aria-controls': previewId }}
        onClick={() => setPreview((p) => !p)}
      >
        {`Aperçu : ${props.label.replace(/ \(facultatif\)$/, '')}`}
      </Button>
      <div id={previewId} aria-live="polite">
        {preview &&
          (rendered.isError ? (
            <ProblemAlert error={rendered.error} className="fr-mt-1w" />
          ) : rendered.data ? (
            rendered.data.html.trim() ? (
              <ServerHtml className="relais-markdown-preview" html={rendered.data.html} />
            ) : (
              <p className="relais-markdown-preview fr-text--sm">Section vide : elle n’apparaîtra pas sur la fiche.</p>
            )
          ) : (
            <p className="fr-text--sm">Aperçu en cours…</p>
          ))}
      </div>
    </div>
  );
}
