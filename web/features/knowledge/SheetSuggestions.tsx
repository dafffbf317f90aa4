import { useId } from 'react';
import type { FeedbackContext } from '../../../contracts/knowledge.ts';
import { useDebounced } from '../../components/useDebounced.ts';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { FeedbackQuestion, Highlighted } from './parts.tsx';
import { useSuggestions } from './queries.ts';
import './knowledge.css';

/**
 * The sheets that may answer what the agent is writing (a visit, a request): up to 5, for the
 * chosen partner, themes and typed words (asked 400 ms after the last change, nothing until
 * something is chosen or typed). Each opens in a new tab and asks whether it answered.
 */
export function SheetSuggestions(props: {
  /** The partners chosen (a visit may concern several). */
  organisationIds?: readonly string[];
  themeCodes?: readonly string[];
  text?: string;
  context: Extract<FeedbackContext, 'passage' | 'saisine'>;
  title?: string;
}) {
  const territoryId = useTerritoryId();
  const headingId = useId();
  // Debounced as one string: an object would be new at each render and never settle.
  const key = useDebounced(
    JSON.stringify({
      organisationIds: (props.organisationIds ?? []).join(','),
      themes: (props.themeCodes ?? []).join(','),
      // The API takes 2000 characters at most: the start of a long description says enough.
      text: (props.text ?? '').trim().slice(0, 2000),
    }),
    400,
  );
  const query = JSON.parse(key) as { organisationIds: string; themes: string; text: string };
  const suggestions = useSuggestions(territoryId, query);
  const asked = !!(query.organisationIds || query.themes || query.text);
  const items = asked ? (suggestions.data?.items.slice(0, 5) ?? []) : [];
  if (items.length === 0) return null;
  return (
    <section className="relais-sheet-suggestions" aria-labelledby={headingId}>
      <h2 id={headingId} className="fr-h6 fr-mb-1w">
        {props.title ?? 'Des fiches qui peuvent aider'}
      </h2>
      <ul className="relais-sheet-suggestions__list">
        {items.map((hit) => (
          <li key={hit.id} className="fr-mb-2w">
            <p className="fr-text--md fr-mb-0">
              <a href={`/fiches/${hit.id}`} target="_blank" rel="noopener">
                <Highlighted text={hit.titleHighlight || hit.title} />
                <span className="fr-sr-only"> (nouvel onglet)</span>
              </a>
              {hit.organisation && <span className="fr-text--sm">{` · ${hit.organisation.acronym}`}</span>}
            </p>
            {hit.summary && <p className="fr-text--sm fr-mb-0">{hit.summary}</p>}
            <FeedbackQuestion
              territoryId={territoryId}
              sheetId={hit.id}
              context={props.context}
              question="Cette fiche a-t-elle répondu ?"
              about={hit.title}
              small
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
