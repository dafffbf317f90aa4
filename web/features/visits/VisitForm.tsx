import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SheetSuggestions } from '../knowledge/SheetSuggestions.tsx';
import { emptyDraft, localDateTime, type VisitDraft } from './draft.ts';
import { ACTIONS, AUTONOMIES, CHANNELS, QUICK_DURATIONS } from './labels.ts';
import { ACTION_KEYS, AUTONOMY_KEYS, isTypingTarget, PARTNER_KEYS, shortcutOf, THEME_KEYS } from './shortcuts.ts';
import './visits.css';

export interface Choice {
  value: string;
  label: string;
}

const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

export interface VisitFormProps {
  /** Partners and themes offered with a one-key shortcut (the contact point's most frequent). */
  topPartners: Choice[];
  topThemes: Choice[];
  /** Every partner and theme, for the search of the others. */
  allPartners: Choice[];
  allThemes: Choice[];
  initial?: VisitDraft;
  /** The stops of the day when the contact point is a bus or an antenna, and the one it is at now. */
  busStops?: Choice[];
  defaultBusStopId?: string | null;
  /** The person the visit is for (opened from their file) and their active mandates at this contact point. */
  person?: { id: string; name: string; mandates: Choice[] };
  /** Shown at the top of the form with the date and time (contact point, agent). */
  context?: ReactNode;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  /** Saves the draft; resolves true when the form should start again empty. */
  onSubmit: (draft: VisitDraft) => Promise<boolean>;
}

/**
 * The visit form, made for the keyboard: every group is a fieldset with its legend, the frequent
 * choices have one-key shortcuts (shown as <kbd>), Ctrl+Enter saves from anywhere in the page.
 */
export function VisitForm(props: VisitFormProps) {
  const { topPartners, topThemes } = props;
  const [draft, setDraft] = useState<VisitDraft>(() => props.initial ?? emptyDraft());
  const [now, setNow] = useState(() => localDateTime(new Date()));
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId().replace(/:/g, '');
  const fieldId = (name: string, value = '') => `${id}-${name}${value ? `-${value}` : ''}`;
  const set = <K extends keyof VisitDraft>(key: K, value: VisitDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  // "Now" follows the clock while the agent leaves the date and time alone.
  useEffect(() => {
    const timer = window.setInterval(() => setNow(localDateTime(new Date())), 20_000);
    return () => window.clearInterval(timer);
  }, []);

  const focus = (elementId: string) => document.getElementById(elementId)?.focus();
  const focusFirstField = () => formRef.current?.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.focus();

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const shortcut = shortcutOf(event, isTypingTarget(document.activeElement as HTMLElement | null));
      if (!shortcut) return;
      if (shortcut.kind === 'save') {
        event.preventDefault();
        formRef.current?.requestSubmit();
        return;
      }
      const target = (() => {
        switch (shortcut.kind) {
          case 'channel': {
            const channel = CHANNELS[shortcut.index]?.value;
            if (!channel) return null;
            setDraft((d) => ({ ...d, channel }));
            return fieldId('channel', channel);
          }
          case 'partner': {
            const partner = topPartners[shortcut.index]?.value;
            if (!partner) return null;
            setDraft((d) => ({ ...d, organisationIds: toggle(d.organisationIds, partner) }));
            return fieldId('partner', partner);
          }
          case 'theme': {
            const theme = topThemes[shortcut.index]?.value;
            if (!theme) return null;
            setDraft((d) => ({ ...d, themeCodes: toggle(d.themeCodes, theme) }));
            return fieldId('theme', theme);
          }
          case 'action': {
            const action = ACTIONS[shortcut.index]?.value;
            if (!action) return null;
            setDraft((d) => ({ ...d, actions: toggle(d.actions, action) }));
            return fieldId('action', action);
          }
          case 'autonomy': {
            const autonomy = AUTONOMIES[shortcut.index]?.value;
            if (!autonomy) return null;
            setDraft((d) => ({ ...d, autonomy }));
            return fieldId('autonomy', autonomy);
          }
        }
      })();
      if (target) {
        event.preventDefault();
        focus(target);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  });

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (props.pending) return;
    const busStopId = draft.channel === 'arret_bus' ? (draft.busStopId ?? props.defaultBusStopId ?? null) : null;
    const restart = await props.onSubmit({ ...draft, busStopId, mandateId });
    if (restart) {
      setDraft(emptyDraft());
      setNow(localDateTime(new Date()));
      // After React has drawn the empty form.
      window.setTimeout(focusFirstField, 0);
    }
  };

  // Under a mandate for a linked person: the one chosen, else their first active mandate here.
  const mandates = draft.personId && props.person?.id === draft.personId ? props.person.mandates : [];
  const underMandate = draft.actions.includes('sous_mandat') && !!draft.personId;
  const mandateId = underMandate ? (mandates.find((m) => m.value === draft.mandateId)?.value ?? mandates[0]?.value ?? null) : null;
  const apiError = props.error instanceof ApiError ? props.error : null;
  const fieldError = (name: string) => apiError?.fieldError(name);
  const extraPartners = props.allPartners.filter((p) => !topPartners.some((t) => t.value === p.value));
  const extraThemes = props.allThemes.filter((p) => !topThemes.some((t) => t.value === p.value));
  const durationText =
    draft.durationMinutes === null || (QUICK_DURATIONS as readonly number[]).includes(draft.durationMinutes)
      ? ''
      : String(draft.durationMinutes);

  return (
    <form ref={formRef} noValidate className="relais-visit-form" onSubmit={(e) => void onSubmit(e)} aria-label="Accueil à enregistrer">
      <ProblemAlert error={props.error} />
      <Group legend="Lieu, agent et heure" hint="Remplis d’après votre session">
        {props.context}
        {draft.personId && props.person?.id === draft.personId && (
          <p className="fr-fieldset__element fr-mb-0">
            Pour : <strong>{props.person.name}</strong>
          </p>
        )}
        <div className="fr-fieldset__element">
          <Input
            label="Date et heure"
            hintText="Maintenant, sauf si vous enregistrez un accueil passé"
            nativeInputProps={{
              id: fieldId('occurredAt'),
              type: 'datetime-local',
              value: draft.occurredAt ?? now,
              onChange: (e) => set('occurredAt', e.target.value || null),
            }}
            {...(fieldError('occurredAt') ? { state: 'error', stateRelatedMessage: fieldError('occurredAt') } : {})}
          />
        </div>
      </Group>

      <Group legend="Canal" hint="Touches 1 à 6" error={fieldError('channel')}>
        {CHANNELS.map((c, index) => (
          <Radio
            key={c.value}
            id={fieldId('channel', c.value)}
            name="channel"
            label={c.label}
            shortcut={String(index + 1)}
            checked={draft.channel === c.value}
            onChange={() => set('channel', c.value)}
          />
        ))}
      </Group>

      {draft.channel === 'arret_bus' && props.busStops && props.busStops.length > 0 && (
        <Select
          label="Arrêt du bus"
          nativeSelectProps={{
            id: fieldId('busStop'),
            value: draft.busStopId ?? props.defaultBusStopId ?? '',
            onChange: (e) => set('busStopId', e.target.value || null),
          }}
          {...(fieldError('busStopId') ? { state: 'error', stateRelatedMessage: fieldError('busStopId') } : {})}
        >
          <option value="">Sans arrêt précis</option>
          {props.busStops.map((stop) => (
            <option key={stop.value} value={stop.value}>
              {stop.label}
            </option>
          ))}
        </Select>
      )}

      <QuickChoices
        legend="Partenaires concernés"
        hint={topPartners.length ? 'Les plus fréquents de votre lieu : touches A à H' : undefined}
        error={fieldError('organisationIds')}
        name="organisationIds"
        top={topPartners}
        keys={PARTNER_KEYS}
        others={extraPartners}
        searchLabel="Chercher un autre partenaire"
        selected={draft.organisationIds}
        fieldId={(value) => fieldId('partner', value)}
        onToggle={(value) => set('organisationIds', toggle(draft.organisationIds, value))}
      />

      <QuickChoices
        legend="Thèmes"
        hint={topThemes.length ? 'Les plus fréquents de votre lieu : touches I à P' : undefined}
        error={fieldError('themeCodes')}
        name="themeCodes"
        top={topThemes}
        keys={THEME_KEYS}
        others={extraThemes}
        searchLabel="Chercher un autre thème"
        selected={draft.themeCodes}
        fieldId={(value) => fieldId('theme', value)}
        onToggle={(value) => set('themeCodes', toggle(draft.themeCodes, value))}
      />

      <Group legend="Ce qui a été fait" hint="Touches Q à W" error={fieldError('actions')}>
        {ACTIONS.map((a, index) => (
          <Box
            key={a.value}
            id={fieldId('action', a.value)}
            name="actions"
            label={a.label}
            shortcut={ACTION_KEYS[index]}
            checked={draft.actions.includes(a.value)}
            onChange={() => set('actions', toggle(draft.actions, a.value))}
          />
        ))}
      </Group>

      {underMandate && (
        <Group legend="Mandat utilisé" hint={`Pour ${props.person?.name ?? 'la personne'}`} error={fieldError('mandateId')}>
          {mandates.length === 0 ? (
            <p className="fr-fieldset__element">Aucun mandat en cours pour cette personne à ce lieu d’accueil.</p>
          ) : (
            mandates.map((m) => (
              <Radio
                key={m.value}
                id={fieldId('mandate', m.value)}
                name="mandateId"
                label={m.label}
                checked={mandateId === m.value}
                onChange={() => set('mandateId', m.value)}
              />
            ))
          )}
        </Group>
      )}

      <Group legend="Autonomie de la personne" hint="Touches X à Z" error={fieldError('autonomy')}>
        {AUTONOMIES.map((a, index) => (
          <Radio
            key={a.value}
            id={fieldId('autonomy', a.value)}
            name="autonomy"
            label={a.label}
            shortcut={AUTONOMY_KEYS[index]}
            checked={draft.autonomy === a.value}
            onChange={() => set('autonomy', a.value)}
          />
        ))}
      </Group>

      <Group legend="Durée" error={fieldError('durationMinutes')}>
        {QUICK_DURATIONS.map((minutes) => (
          <Radio
            key={minutes}
            id={fieldId('duration', String(minutes))}
            name="duration"
            label={`${minutes} min`}
            checked={draft.durationMinutes === minutes}
            onChange={() => set('durationMinutes', minutes)}
          />
        ))}
        <div className="fr-fieldset__element">
          <Input
            label="Autre durée, en minutes"
            nativeInputProps={{
              id: fieldId('duration-other'),
              type: 'number',
              inputMode: 'numeric',
              min: 0,
              max: 1440,
              value: durationText,
              onChange: (e) => {
                const value = e.target.value.trim();
                set('durationMinutes', value === '' || Number.isNaN(Number(value)) ? null : Math.round(Number(value)));
              },
            }}
          />
        </div>
      </Group>

      <Input
        label="Commentaire (facultatif)"
        hintText="Sans donnée personnelle : l’accueil reste anonyme"
        textArea
        nativeTextAreaProps={{ id: fieldId('comment'), rows: 2, value: draft.comment, onChange: (e) => set('comment', e.target.value) }}
        {...(fieldError('comment') ? { state: 'error', stateRelatedMessage: fieldError('comment') } : {})}
      />

      <SheetSuggestions organisationIds={draft.organisationIds} themeCodes={draft.themeCodes} text={draft.comment} context="passage" />

      <Button type="submit" disabled={props.pending} nativeButtonProps={{ 'aria-keyshortcuts': 'Control+Enter' }}>
        {props.submitLabel}
      </Button>
      <p className="fr-hint-text fr-mt-1w">
        Raccourci : <kbd className="relais-kbd">Ctrl</kbd> + <kbd className="relais-kbd">Entrée</kbd>. Les touches rapides ne s’appliquent
        pas pendant la saisie d’un texte.
      </p>
    </form>
  );
}

function Group(props: { legend: string; hint?: string; error?: string; children: ReactNode }) {
  const legendId = useId();
  const errorId = useId();
  return (
    <fieldset
      className={`fr-fieldset${props.error ? ' fr-fieldset--error' : ''}`}
      aria-labelledby={legendId}
      {...(props.error ? { 'aria-describedby': errorId } : {})}
    >
      <legend className="fr-fieldset__legend fr-fieldset__legend--regular" id={legendId}>
        {props.legend}
        {props.hint && <span className="fr-hint-text">{props.hint}</span>}
      </legend>
      {props.children}
      {props.error && (
        <div className="fr-messages-group" id={errorId} aria-live="assertive">
          <p className="fr-message fr-message--error">{props.error}</p>
        </div>
      )}
    </fieldset>
  );
}

/** The contact point's most frequent choices, each on one key, then a search over the others. */
function QuickChoices(props: {
  legend: string;
  hint?: string;
  error?: string;
  name: string;
  top: Choice[];
  keys: readonly string[];
  others: Choice[];
  searchLabel: string;
  selected: string[];
  fieldId: (value: string) => string;
  onToggle: (value: string) => void;
}) {
  return (
    <Group legend={props.legend} hint={props.hint} error={props.error}>
      {props.top.map((choice, index) => (
        <Box
          key={choice.value}
          id={props.fieldId(choice.value)}
          name={props.name}
          label={choice.label}
          shortcut={props.keys[index]}
          checked={props.selected.includes(choice.value)}
          onChange={() => props.onToggle(choice.value)}
        />
      ))}
      <Others
        id={props.fieldId('search')}
        label={props.searchLabel}
        choices={props.others}
        selected={props.selected}
        boxId={props.fieldId}
        name={props.name}
        onToggle={props.onToggle}
      />
    </Group>
  );
}

interface OptionProps {
  id: string;
  name: string;
  label: string;
  shortcut?: string;
  checked: boolean;
  onChange: () => void;
}

const Kbd = ({ shortcut }: { shortcut?: string }) => (shortcut ? <kbd className="relais-kbd">{shortcut.toUpperCase()}</kbd> : null);

function Option(props: OptionProps & { type: 'radio' | 'checkbox' }) {
  return (
    <div className="fr-fieldset__element fr-fieldset__element--inline">
      <div
        className={`${props.type === 'radio' ? 'fr-radio-group' : 'fr-checkbox-group'} ${props.type === 'radio' ? 'fr-radio-group--sm' : 'fr-checkbox-group--sm'}`}
      >
        <input
          type={props.type}
          id={props.id}
          name={props.name}
          checked={props.checked}
          onChange={props.onChange}
          {...(props.shortcut ? { 'aria-keyshortcuts': props.shortcut.toUpperCase() } : {})}
        />
        <label className="fr-label" htmlFor={props.id}>
          {/* One flex item, so that the key stays on the line of its label. */}
          <span>
            {props.label}
            <Kbd shortcut={props.shortcut} />
          </span>
        </label>
      </div>
    </div>
  );
}
const Radio = (props: OptionProps) => <Option {...props} type="radio" />;
const Box = (props: OptionProps) => <Option {...props} type="checkbox" />;

/** A search field over the choices without a shortcut: those picked stay listed, then up to 8 matches. */
function Others(props: {
  id: string;
  label: string;
  name: string;
  choices: Choice[];
  selected: string[];
  boxId: (value: string) => string;
  onToggle: (value: string) => void;
}) {
  const [search, setSearch] = useState('');
  if (props.choices.length === 0) return null;
  const words = normalise(search).split(/\s+/).filter(Boolean);
  const picked = props.choices.filter((c) => props.selected.includes(c.value));
  const matches = words.length
    ? props.choices.filter((c) => !props.selected.includes(c.value) && words.every((w) => normalise(c.label).includes(w))).slice(0, 8)
    : [];
  const listed = [...picked, ...matches];
  return (
    <div className="fr-fieldset__element">
      <Input
        label={props.label}
        hintText="Entrée coche le premier résultat"
        nativeInputProps={{
          id: props.id,
          type: 'search',
          value: search,
          autoComplete: 'off',
          onChange: (e) => setSearch(e.target.value),
          // Enter picks the first match instead of sending the form.
          onKeyDown: (e) => {
            if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return;
            e.preventDefault();
            const first = matches[0];
            if (first) {
              props.onToggle(first.value);
              setSearch('');
            }
          },
        }}
      />
      {words.length > 0 && matches.length === 0 && <p className="fr-hint-text">Aucun résultat pour « {search} ».</p>}
      {listed.length > 0 && (
        <div className="relais-visit-others">
          {listed.map((c) => (
            <Box
              key={c.value}
              id={props.boxId(c.value)}
              name={props.name}
              label={c.label}
              checked={props.selected.includes(c.value)}
              onChange={() => props.onToggle(c.value)}
            />
          ))}
        </div>
      )}
    </div>
  );
}

const normalise = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
