import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { PersonSummary } from '../../../contracts/people.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { formatBirthDate, personName, usePeopleSearch } from './queries.ts';
import { searchParamsOf } from './search-input.ts';

/** The front desk's first move: find the person's file by name (typos tolerated), birth date, phone or identifier. */
export function PeopleSearchPage() {
  const territoryId = useTerritoryId();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  // Back from an erasure (PersonLifecycleActions): say it was done.
  const erased = (useLocation().state as { erased?: boolean } | null)?.erased === true;
  // The query lives in the page's state: changing the address on each keystroke would move the focus to the title.
  const [q, setQ] = useState(() => params.get('q') ?? '');
  const settled = useDebounced(q.trim(), 250);
  const search = usePeopleSearch(territoryId, settled);
  const field = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    // Agents come here to type: the search field takes the focus on load.
    field.current?.focus();
  }, []);

  const results = search.data?.items;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Down arrow: to the first result (Enter opens the only result, see the form).
    const first = table.current?.querySelector<HTMLAnchorElement>('tbody a');
    if (event.key === 'ArrowDown' && first) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <>
      <PageTitle>Usagers</PageTitle>
      {erased && <SuccessAlert>Le dossier a été effacé : les accueils restent comptés, sans lien avec la personne.</SuccessAlert>}
      <p>Retrouvez la fiche d’une personne avant d’en créer une nouvelle.</p>
      <form
        aria-label="Rechercher un usager"
        className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom"
        onSubmit={(e) => {
          e.preventDefault();
          const first = results?.[0];
          if (first && results.length === 1) void navigate(`/usagers/${first.id}`);
        }}
      >
        <div className="fr-col-12 fr-col-md-8">
          <Input
            label="Rechercher une personne"
            hintText="Nom et prénom (accents et fautes de frappe tolérés), date de naissance (JJ/MM/AAAA), téléphone ou numéro de sécurité sociale. Flèche bas : aller aux résultats."
            nativeInputProps={{
              ref: field,
              type: 'search',
              name: 'q',
              value: q,
              autoComplete: 'off',
              spellCheck: false,
              onChange: (e) => setQ(e.target.value),
              onKeyDown,
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4 fr-mb-3w">
          <Button linkProps={{ to: '/usagers/nouveau' }} iconId="fr-icon-user-add-line" priority="secondary">
            Créer une fiche
          </Button>
        </div>
      </form>
      <section className="fr-mt-2w" aria-labelledby="titre-resultats">
        <h2 id="titre-resultats" className="fr-h5" aria-live="polite">
          {searchParamsOf(settled) === null
            ? 'Saisissez un nom (deux caractères au moins), une date de naissance, un téléphone ou un numéro de sécurité sociale'
            : search.isError
              ? 'La recherche n’a pas abouti'
              : !results
                ? 'Recherche en cours…'
                : results.length === 0
                  ? 'Aucune personne ne correspond à cette recherche'
                  : `${results.length} personne${results.length > 1 ? 's' : ''} trouvée${results.length > 1 ? 's' : ''}${search.data?.truncated ? ' (les premières seulement : précisez la recherche)' : ''}`}
        </h2>
        <ProblemAlert error={search.error} />
        {search.isFetching && !results && <Loading />}
        {results && results.length > 0 && <ResultsTable people={results} tableRef={table} onBackToSearch={() => field.current?.focus()} />}
      </section>
    </>
  );
}

function ResultsTable(props: { people: PersonSummary[]; tableRef: React.RefObject<HTMLTableElement | null>; onBackToSearch: () => void }) {
  // Up and down arrows move between the result links; up from the first goes back to the search field.
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...(props.tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody a') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    event.preventDefault();
    const next = index + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) props.onBackToSearch();
    else links[Math.min(next, links.length - 1)]?.focus();
  };
  return (
    <div className="fr-table fr-table--no-caption">
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table ref={props.tableRef} onKeyDown={onKeyDown}>
              <caption>Personnes trouvées</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">Date de naissance</th>
                  <th scope="col">Commune</th>
                </tr>
              </thead>
              <tbody>
                {props.people.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/usagers/${p.id}`}>{personName(p)}</Link>
                    </td>
                    <td>{formatBirthDate(p.birthDate)}</td>
                    <td>{p.commune ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
