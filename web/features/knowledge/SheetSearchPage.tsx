import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type SheetHit, type SheetSearchResult, SheetStatuses } from '../../../contracts/knowledge.ts';
import { formatDate } from '../../components/format.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { Highlighted, SheetBadges, SheetTags } from './parts.tsx';
import { type SheetSearchFilters, sheetCount, useEditableOwners, useSheetSearch } from './queries.ts';
import './knowledge.css';

/** The knowledge base: a search over the sheets of the territory, its filters in the address. */
export function SheetSearchPage() {
  const territoryId = useTerritoryId();
  const { role } = useSession();
  const [params, setParams] = useSearchParams();
  const [typed, setTyped] = useState(params.get('q') ?? '');
  const debounced = useDebounced(typed, 300);
  const owners = useEditableOwners(territoryId);
  const writes = (owners.data?.length ?? 0) > 0;

  // The typed words go to the address once the typing pauses (replace: one history entry per search page).
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const debouncedRef = useRef(debounced);
  debouncedRef.current = debounced;
  useEffect(() => {
    const q = debounced.trim();
    const current = paramsRef.current;
    if ((current.get('q') ?? '') === q) return;
    const next = new URLSearchParams(current);
    if (q) next.set('q', q);
    else next.delete('q');
    setParams(next, { replace: true });
  }, [debounced, setParams]);
  // A search changed from outside (the « Fiches » link, the browser's back button) refills the field.
  const addressQ = params.get('q') ?? '';
  useEffect(() => {
    if (addressQ !== debouncedRef.current.trim()) setTyped(addressQ);
  }, [addressQ]);

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const status = SheetStatuses.find((s) => s === params.get('statut'));
  const query: SheetSearchFilters = {
    ...(params.get('q') ? { q: params.get('q') ?? '' } : {}),
    ...(params.get('partenaire') ? { organisationId: params.get('partenaire') ?? '' } : {}),
    ...(params.get('theme') ? { theme: params.get('theme') ?? '' } : {}),
    ...(status ? { status } : {}),
    // « À revoir »: not verified for 12 months (the owners' reminder links here).
    ...(params.get('a-revoir') ? { stale: 'true' as const } : {}),
  };
  const search = useSheetSearch(territoryId, query);
  // The first page carries the total, facets, corrections and expansions; the items of every page follow.
  const first = search.data?.pages[0];
  const result: SheetSearchResult | undefined = first && { ...first, items: (search.data?.pages ?? []).flatMap((p) => p.items) };

  return (
    <>
      <PageTitle>Fiches</PageTitle>
      <p>Les fiches réponses du réseau et des partenaires : ce qu’il faut savoir pour répondre du premier coup.</p>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        {writes && (
          <li>
            <Link className="fr-btn fr-icon-add-line" to="/fiches/nouvelle">
              Nouvelle fiche
            </Link>
          </li>
        )}
        <li>
          <Link className="fr-btn fr-btn--secondary fr-icon-chat-check-line" to="/fiches/propositions">
            {writes ? 'Propositions à examiner' : 'Mes propositions'}
          </Link>
        </li>
        {role === 'coordinator' && (
          <li>
            <Link className="fr-btn fr-btn--secondary fr-icon-upload-2-line" to="/fiches/import">
              Importer / exporter
            </Link>
          </li>
        )}
      </ul>

      <search className="fr-mb-3w" aria-label="Rechercher une fiche">
        <form onSubmit={(e) => e.preventDefault()}>
          <Input
            label="Rechercher une fiche"
            hintText="Démarche, mot-clé, sigle (APL, RSA…) : les fautes de frappe sont tolérées"
            iconId="fr-icon-search-line"
            nativeInputProps={{
              type: 'search',
              value: typed,
              autoComplete: 'off',
              maxLength: 200,
              onChange: (e) => setTyped(e.target.value),
            }}
          />
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-4">
              <Select
                label="Partenaire"
                nativeSelectProps={{ value: params.get('partenaire') ?? '', onChange: (e) => set('partenaire', e.target.value || null) }}
              >
                <option value="">Tous les partenaires</option>
                {facetOrganisations(result, params.get('partenaire')).map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.count === null ? o.acronym : `${o.acronym} (${o.count})`}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-4">
              <Select
                label="Thème"
                nativeSelectProps={{ value: params.get('theme') ?? '', onChange: (e) => set('theme', e.target.value || null) }}
              >
                <option value="">Tous les thèmes</option>
                {facetThemes(result, params.get('theme')).map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.count === null ? t.label : `${t.label} (${t.count})`}
                  </option>
                ))}
              </Select>
            </div>
            {writes && (
              <div className="fr-col-12 fr-col-md-4">
                <Select label="Statut" nativeSelectProps={{ value: status ?? '', onChange: (e) => set('statut', e.target.value || null) }}>
                  <option value="">Publiées</option>
                  <option value="brouillon">Brouillons (mes fiches)</option>
                  <option value="archivee">Archivées (mes fiches)</option>
                </Select>
              </div>
            )}
            {writes && (
              <div className="fr-col-12">
                <Checkbox
                  small
                  options={[
                    {
                      label: 'Seulement les fiches à revoir (non vérifiées depuis 12 mois)',
                      nativeInputProps: {
                        checked: !!params.get('a-revoir'),
                        onChange: (e) => set('a-revoir', e.target.checked ? '1' : null),
                      },
                    },
                  ]}
                />
              </div>
            )}
          </div>
        </form>
      </search>

      <section aria-labelledby="titre-resultats">
        <h2 id="titre-resultats" className="fr-h4">
          Résultats
        </h2>
        <p role="status" className="fr-text--sm">
          {result ? resultsText(result.total, !!query.q) : ''}
        </p>
        {search.isError ? (
          <ProblemAlert error={search.error} />
        ) : !result ? (
          <Loading />
        ) : (
          <>
            <Results result={result} agent={role === 'agent'} />
            {search.hasNextPage && (
              <Button type="button" priority="secondary" onClick={() => void search.fetchNextPage()} disabled={search.isFetchingNextPage}>
                Afficher plus de fiches
              </Button>
            )}
          </>
        )}
      </section>
    </>
  );
}

const resultsText = (total: number, searched: boolean) =>
  total === 0 ? 'Aucune fiche trouvée.' : `${sheetCount(total)} ${searched ? (total === 1 ? 'trouvée' : 'trouvées') : ''}`.trim();

/** The facet's organisations, with the chosen one kept even when the results no longer count it. */
function facetOrganisations(result: SheetSearchResult | undefined, chosen: string | null) {
  const list: { id: string; acronym: string; count: number | null }[] = [...(result?.facets.organisations ?? [])];
  if (chosen && !list.some((o) => o.id === chosen))
    list.unshift({ id: chosen, acronym: chosen === 'reseau' ? 'Réseau' : 'Partenaire choisi', count: null });
  return list.map((o) => (o.id === 'reseau' && !o.acronym ? { ...o, acronym: 'Réseau' } : o));
}

function facetThemes(result: SheetSearchResult | undefined, chosen: string | null) {
  const list: { code: string; label: string; count: number | null }[] = [...(result?.facets.themes ?? [])];
  if (chosen && !list.some((t) => t.code === chosen)) list.unshift({ code: chosen, label: chosen, count: null });
  return list;
}

function Results({ result, agent }: { result: SheetSearchResult; agent: boolean }) {
  return (
    <>
      {result.corrections.length > 0 && (
        <p className="fr-mb-1w">
          {'Résultats pour '}
          {result.corrections.map((c, index) => (
            <span key={`${c.from}-${c.to}`}>
              {index > 0 && ', '}« <strong>{c.to}</strong> » au lieu de « {c.from} »
            </span>
          ))}
        </p>
      )}
      {result.expansions.length > 0 && (
        <p className="fr-text--sm">
          {'Recherche élargie : '}
          {result.expansions.map((e, index) => (
            <span key={e.term}>
              {index > 0 && ' ; '}
              {e.term} <span aria-hidden="true">→</span>
              <span className="fr-sr-only">, aussi</span> {e.alternatives.join(', ')}
            </span>
          ))}
        </p>
      )}
      {result.items.length === 0 ? (
        <div className="fr-callout">
          <p className="fr-callout__title">Aucune fiche ne correspond</p>
          <p className="fr-callout__text">
            Essayez d’autres mots ou retirez un filtre.
            {agent ? ' Si la question reste sans réponse, le partenaire peut vous répondre directement.' : ''}
          </p>
          {agent && (
            <Link className="fr-btn fr-btn--secondary fr-mt-2w" to="/saisines/nouvelle">
              Saisir un partenaire
            </Link>
          )}
        </div>
      ) : (
        <ul className="relais-sheet-results" aria-label="Fiches trouvées">
          {result.items.map((hit) => (
            <SheetResult key={hit.id} hit={hit} />
          ))}
        </ul>
      )}
    </>
  );
}

function SheetResult({ hit }: { hit: SheetHit }) {
  return (
    <li className="relais-sheet-result">
      <h3 className="fr-h6">
        <Link to={`/fiches/${hit.id}`}>
          <Highlighted text={hit.titleHighlight || hit.title} />
        </Link>
        <SheetBadges stale={hit.stale} status={hit.status} />
      </h3>
      {hit.excerpt ? (
        <p className="fr-text--sm fr-mb-1w">
          <Highlighted text={hit.excerpt} />
        </p>
      ) : hit.summary ? (
        <p className="fr-text--sm fr-mb-1w">{hit.summary}</p>
      ) : null}
      <SheetTags hit={hit} />
      {hit.verifiedAt && <p className="fr-text--xs fr-mb-0 fr-mt-1w">{`Vérifiée le ${formatDate(hit.verifiedAt)}`}</p>}
    </li>
  );
}
