import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Tabs as DsfrTabs } from '@codegouvfr/react-dsfr/Tabs.js';
import type { UseQueryResult } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type Comparison, ComparisonLabels, Comparisons, type ObservatoryScope } from '../../../contracts/observatory.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { exportUrl, filtersToParams, type ObservatoryFilters, parseFilters, parseTab, type Tab, Tabs } from './filters.ts';
import { periodLabel } from './format.ts';
import { useRequestsDashboard, useSatisfactionDashboard, useVisitsDashboard } from './queries.ts';
import { RequestsSection } from './RequestsSection.tsx';
import { SatisfactionSection } from './SatisfactionSection.tsx';
import { VisitsSection } from './VisitsSection.tsx';
import './observatory.css';

const TAB_LABELS: Record<Tab, string> = { accueils: 'Accueils', saisines: 'Saisines et délais', satisfaction: 'Satisfaction' };

/** The filter form: its fields follow the address, and apply on submit (Enter in any field). */
function FilterForm({
  filters,
  scope,
  onApply,
}: {
  filters: ObservatoryFilters;
  scope: ObservatoryScope | undefined;
  onApply: (f: ObservatoryFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(filters), [filters]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setError('Le mois de début doit précéder le mois de fin.');
      return;
    }
    setError(null);
    onApply(draft);
  };
  const set = (patch: Partial<ObservatoryFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const optional = (value: string) => (value ? value : undefined);
  return (
    <form aria-label="Filtres de l’observatoire" className="fr-mb-4w" onSubmit={submit}>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-sm-6 fr-col-lg-2">
          <Input
            label="Du (mois)"
            hintText="Par défaut, les 12 derniers mois"
            state={error ? 'error' : 'default'}
            stateRelatedMessage={error ?? undefined}
            nativeInputProps={{ type: 'month', value: draft.from ?? '', onChange: (e) => set({ from: optional(e.target.value) }) }}
          />
        </div>
        <div className="fr-col-12 fr-col-sm-6 fr-col-lg-2">
          <Input
            label="Au (mois)"
            hintText="Inclus"
            nativeInputProps={{ type: 'month', value: draft.to ?? '', onChange: (e) => set({ to: optional(e.target.value) }) }}
          />
        </div>
        <div className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
          <Select
            label="Comparaison"
            nativeSelectProps={{ value: draft.compare, onChange: (e) => set({ compare: e.target.value as Comparison }) }}
          >
            {Comparisons.map((c) => (
              <option key={c} value={c}>
                {ComparisonLabels[c]}
              </option>
            ))}
          </Select>
        </div>
        {scope && scope.kind !== 'partenaire' && (
          <div className="fr-col-12 fr-col-sm-6 fr-col-lg-2">
            <Select
              label="Lieu d’accueil"
              nativeSelectProps={{ value: draft.contactPointId ?? '', onChange: (e) => set({ contactPointId: optional(e.target.value) }) }}
            >
              <option value="">Tous les lieux</option>
              {scope.contactPoints.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </div>
        )}
        {scope && scope.kind !== 'partenaire' && (
          <div className="fr-col-12 fr-col-sm-6 fr-col-lg-3">
            <Select
              label="Partenaire"
              nativeSelectProps={{ value: draft.organisationId ?? '', onChange: (e) => set({ organisationId: optional(e.target.value) }) }}
            >
              <option value="">Tous les partenaires</option>
              {scope.organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </div>
        )}
      </div>
      <Button type="submit" iconId="fr-icon-filter-line" iconPosition="left">
        Appliquer les filtres
      </Button>
    </form>
  );
}

function ExportLinks({
  territoryId,
  kind,
  filters,
  label,
}: {
  territoryId: string;
  kind: 'visits' | 'requests';
  filters: ObservatoryFilters;
  label: string;
}) {
  return (
    <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left fr-mb-3w">
      <li>
        <a className="fr-btn fr-btn--secondary fr-icon-download-line" href={exportUrl(territoryId, kind, 'csv', filters)} download>
          Exporter (CSV)
          <span className="fr-sr-only"> : {label}</span>
        </a>
      </li>
      <li>
        <a className="fr-btn fr-btn--secondary fr-icon-download-line" href={exportUrl(territoryId, kind, 'xlsx', filters)} download>
          Exporter (Excel)
          <span className="fr-sr-only"> : {label}</span>
        </a>
      </li>
    </ul>
  );
}

/** While new filters load, the previous figures stay, marked busy. */
function Busy<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  return (
    <div aria-busy={query.isFetching}>
      <QueryState query={query}>{children}</QueryState>
    </div>
  );
}

/** The observatory: the network's figures within the caller's scope, its filters in the address. */
export function ObservatoryPage() {
  const territoryId = useTerritoryId();
  const { role, context } = useSession();
  const [params, setParams] = useSearchParams();
  const partner = role === 'referent' || role === 'manager';
  const allowed: Tab[] = partner ? ['accueils', 'saisines'] : [...Tabs];
  const tab = parseTab(params, allowed);
  const search = params.toString();
  const filters = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const visits = useVisitsDashboard(territoryId, filters, tab === 'accueils');
  const requests = useRequestsDashboard(territoryId, filters, tab === 'saisines');
  const satisfaction = useSatisfactionDashboard(territoryId, filters, tab === 'satisfaction');
  const current = tab === 'accueils' ? visits : tab === 'saisines' ? requests : satisfaction;
  const scope = current.data?.scope ?? visits.data?.scope ?? requests.data?.scope;
  const period = current.data?.period;
  const slug = context.kind === 'membership' ? context.membership.territory.slug : null;

  return (
    <>
      <PageTitle>Observatoire</PageTitle>
      <p>
        {scope ? `${scope.label} : ` : ''}les chiffres du réseau{period ? ` ${periodLabel(period.from, period.to)}` : ''}, par mois entiers.
      </p>
      {role === 'coordinator' && (
        <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left">
          <li>
            <Link className="fr-btn fr-btn--tertiary fr-icon-file-text-line" to="/observatoire/chiffres-cles">
              Chiffres clés de l’année
            </Link>
          </li>
          {slug && (
            <li>
              <Link className="fr-btn fr-btn--tertiary fr-icon-global-line" to={`/statistiques/${slug}`}>
                Page publique
              </Link>
            </li>
          )}
        </ul>
      )}
      <FilterForm filters={filters} scope={scope} onApply={(f) => setParams(filtersToParams(f, tab))} />
      <DsfrTabs
        label="Tableaux de bord"
        selectedTabId={tab}
        tabs={allowed.map((t) => ({ tabId: t, label: TAB_LABELS[t] }))}
        onTabChange={(t) => setParams(filtersToParams(filters, t as Tab))}
      >
        {tab === 'accueils' && (
          <>
            <ExportLinks territoryId={territoryId} kind="visits" filters={filters} label="les accueils" />
            <Busy query={visits}>{(data) => <VisitsSection data={data} />}</Busy>
          </>
        )}
        {tab === 'saisines' && (
          <>
            <ExportLinks territoryId={territoryId} kind="requests" filters={filters} label="les saisines" />
            <Busy query={requests}>{(data) => <RequestsSection data={data} />}</Busy>
          </>
        )}
        {tab === 'satisfaction' && <Busy query={satisfaction}>{(data) => <SatisfactionSection data={data} />}</Busy>}
      </DsfrTabs>
    </>
  );
}
