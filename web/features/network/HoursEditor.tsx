import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OpeningHoursPreview } from '../../../contracts/network.ts';
import { api } from '../../api/client.ts';
import { useDebounced } from '../../components/useDebounced.ts';
import { WeekSchedule } from './HoursDisplay.tsx';

const EXAMPLES: { value: string; meaning: string }[] = [
  { value: 'Mo-Fr 09:00-12:00,14:00-17:00; PH off', meaning: 'du lundi au vendredi, matin et après-midi ; fermé les jours fériés' },
  { value: 'Tu,Th 09:00-12:30; We 14:00-17:00 "sur rendez-vous"', meaning: 'mardi et jeudi matin ; mercredi après-midi sur rendez-vous' },
  { value: 'Mo-Fr 08:30-12:00; Sa[1] 09:00-12:00', meaning: 'en semaine le matin ; le premier samedi du mois' },
  { value: 'Mo-Fr 09:00-17:00; Dec 24-Dec 31 off', meaning: 'en semaine ; fermeture exceptionnelle pendant les fêtes' },
];

/**
 * The opening hours field: OpenStreetMap `opening_hours` syntax, checked by the server as one types,
 * with the resulting week shown under it.
 */
export function HoursEditor(props: { territoryId: string; defaultValue: string; apiError?: string; name: string; id: string }) {
  const [value, setValue] = useState(props.defaultValue);
  const debounced = useDebounced(value.trim(), 400);
  const preview = useQuery({
    queryKey: ['opening-hours-preview', props.territoryId, debounced],
    queryFn: () => api.post<OpeningHoursPreview>('/api/opening-hours/preview', { value: debounced, territoryId: props.territoryId }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const result = preview.data;
  const invalid = result && !result.ok ? result.message : undefined;
  const message = props.apiError ?? invalid;
  return (
    <>
      <Input
        textArea
        label="Horaires d’ouverture"
        hintText="Syntaxe OpenStreetMap, jours en anglais abrégés (Mo Tu We Th Fr Sa Su), heures sur 24 h. Laissez vide si les horaires ne sont pas connus."
        nativeTextAreaProps={{
          id: props.id,
          name: props.name,
          rows: 3,
          value,
          spellCheck: false,
          onChange: (e) => setValue(e.target.value),
          'aria-describedby': `${props.id}-apercu-statut`,
        }}
        {...(message
          ? { state: 'error' as const, stateRelatedMessage: message }
          : result?.ok && debounced
            ? { state: 'success' as const, stateRelatedMessage: 'Horaires compris.' }
            : {})}
      />
      <details className="fr-mb-2w">
        <summary>Exemples et aide sur la syntaxe</summary>
        <ul>
          {EXAMPLES.map((e) => (
            <li key={e.value}>
              <code>{e.value}</code> : {e.meaning}
            </li>
          ))}
          <li>
            <code>PH off</code> ferme les jours fériés du territoire ; une période dont le commentaire dit « sur rendez-vous » est affichée
            comme telle.
          </li>
          <li>Les règles sont séparées par « ; », les plages d’une même journée par « , ».</li>
        </ul>
      </details>
      <div aria-live="polite" id={`${props.id}-apercu-statut`}>
        {result?.ok && debounced && (
          <p className="fr-text--sm fr-mb-1w">
            Aperçu de cette semaine
            {result.weeklyOpenHours !== null && ` : ${String(result.weeklyOpenHours).replace('.', ',')} h d’ouverture par semaine`}
            {result.message && ` (remarque : ${result.message})`}
          </p>
        )}
      </div>
      {result?.ok && debounced && result.week.length > 0 && <WeekSchedule week={result.week} caption="Aperçu de la semaine" />}
    </>
  );
}
