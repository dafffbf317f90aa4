import { useId, useState } from 'react';
import type { CommuneSuggestion } from '../../../contracts/finder.ts';
import { useDebounced } from '../../components/useDebounced.ts';
import { useCommuneSuggestions } from './queries.ts';

const optionLabel = (c: CommuneSuggestion) =>
  `${c.name} (${c.postcodes.length > 1 ? `${c.postcodes[0]}…` : (c.postcodes[0] ?? c.departmentCode)})`;

/**
 * Commune or postcode with suggestions, following the ARIA combobox pattern (list autocomplete):
 * ↓/↑ move in the list, Entrée chooses, Échap closes; the choice is announced through the input's
 * value. Submitting the form without choosing is left to the parent (`onSubmitText`).
 */
export function CommuneCombobox({
  onChoose,
  onSubmitText,
  error,
}: {
  onChoose: (commune: CommuneSuggestion) => void;
  onSubmitText: (text: string, suggestions: CommuneSuggestion[]) => void;
  error?: string | null;
}) {
  const id = useId();
  const listId = `${id}-liste`;
  const hintId = `${id}-aide`;
  const errorId = `${id}-erreur`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = useDebounced(text.trim(), 200);
  const suggestions = useCommuneSuggestions(query);
  const options = open && query.length >= 2 ? (suggestions.data ?? []) : [];
  const expanded = options.length > 0;

  const choose = (c: CommuneSuggestion) => {
    setText(optionLabel(c));
    setOpen(false);
    setActive(-1);
    onChoose(c);
  };

  return (
    <form
      aria-label="Chercher un lieu d’accueil près d’une commune"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const chosen = options[active];
        if (chosen) choose(chosen);
        else {
          setOpen(false);
          onSubmitText(text.trim(), suggestions.data ?? []);
        }
      }}
    >
      <div className={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
        <label className="fr-label" htmlFor={id}>
          Commune ou code postal
          <span className="fr-hint-text" id={hintId}>
            Par exemple : Mortagne-au-Perche ou 61400. Choisissez ensuite la commune dans la liste.
          </span>
        </label>
        <div className="fr-search-bar relais-combobox">
          <input
            id={id}
            className={`fr-input${error ? ' fr-input--error' : ''}`}
            type="text"
            role="combobox"
            autoComplete="off"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={listId}
            aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setOpen(true);
              setActive(-1);
            }}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                setOpen(true);
                if (options.length) setActive((a) => (a + 1) % options.length);
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                if (options.length) setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
              } else if (event.key === 'Escape') {
                if (expanded) event.preventDefault();
                setOpen(false);
                setActive(-1);
              }
            }}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
          />
          <button className="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
          <div id={listId} role="listbox" aria-label="Communes" className="relais-combobox__list" hidden={!expanded}>
            {options.map((c, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: options are chosen from the input with the arrow keys and Enter (aria-activedescendant)
              <div
                key={c.inseeCode}
                id={`${listId}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                className="relais-combobox__option"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(c)}
              >
                {optionLabel(c)}
              </div>
            ))}
          </div>
        </div>
        {error && (
          <p id={errorId} className="fr-error-text">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
