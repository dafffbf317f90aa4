import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Tabs } from '@codegouvfr/react-dsfr/Tabs.js';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { type InboxFilter, InboxFilterLabels, InboxFilters, type RequestSummary } from '../../../contracts/requests.ts';
import { Themes } from '../../../contracts/themes.ts';
import { ApiError } from '../../api/client.ts';
import { ForbiddenContent } from '../../components/ForbiddenContent.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisationDetails } from '../partners/queries.ts';
import { DeadlineBadge, RequestStatusBadge } from '../requests/badges.tsx';
import './inbox.css';
import { useInbox } from './queries.ts';

const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** Whether the person may change an organisation's request settings: its managers and the territory's coordinators. */
export function useCanEditRequestSettings(organisationId: string): boolean {
  const { context } = useSession();
  if (context.kind !== 'membership') return false;
  const m = context.membership;
  return m.role === 'coordinator' || (m.role === 'manager' && m.organisation?.id === organisationId);
}

/** A partner organisation's inbox of requests: tabs with counts, most urgent first, refreshed every minute. */
export function InboxPage() {
  const territoryId = useTerritoryId();
  const { organisationId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const filterParam = params.get('filtre') as InboxFilter | null;
  const filter: InboxFilter = filterParam && InboxFilters.includes(filterParam) ? filterParam : 'nouvelles';
  const theme = params.get('theme') ?? '';
  const organisation = useOrganisationDetails(territoryId, organisationId);
  const inbox = useInbox(territoryId, organisationId, filter, theme);
  const canEditSettings = useCanEditRequestSettings(organisationId);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const setParam = (name: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const counts = inbox.data?.pages[0]?.counts;
  const items = inbox.data?.pages.flatMap((p) => p.items) ?? [];
  const fresh = counts?.nouvelles ?? 0;
  // The tab's title counts the new requests (the page refreshes in a background tab too). Not
  // through PageTitle, which would take the focus back to the h1 at each refresh.
  useEffect(() => {
    document.title = `${fresh ? `(${fresh}) ` : ''}Boîte de réception · Relais`;
  }, [fresh]);
  // Keyboard users continue from the first row just loaded (once it is rendered).
  const [focusRow, setFocusRow] = useState<number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again when the loaded rows are rendered
  useEffect(() => {
    if (focusRow === null) return;
    const link = tableRef.current?.querySelectorAll<HTMLAnchorElement>('a')[focusRow];
    if (!link) return;
    link.focus();
    setFocusRow(null);
  }, [focusRow, items.length]);
  const loadMore = () => {
    setFocusRow(items.length);
    void inbox.fetchNextPage();
  };
  if (inbox.isError && inbox.error instanceof ApiError && inbox.error.status === 403) return <ForbiddenContent />;
  return (
    <>
      <PageTitle>Boîte de réception</PageTitle>
      <p className="fr-text--lead">
        Saisines adressées à {organisation.data ? `${organisation.data.acronym} — ${organisation.data.name}` : 'votre organisme'}
      </p>
      {notice && <SuccessAlert>{notice}</SuccessAlert>}
      <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-2w">
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Thème" nativeSelectProps={{ value: theme, onChange: (e) => setParam('theme', e.target.value), name: 'theme' }}>
            <option value="">Tous les thèmes</option>
            {Themes.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-8">
          <p className="fr-text--sm fr-mb-0">
            {inbox.dataUpdatedAt > 0 && `Mise à jour automatique chaque minute ; dernière à ${timeFormat.format(inbox.dataUpdatedAt)}.`}
            {canEditSettings && (
              <>
                {' '}
                <Link className="fr-link fr-link--sm" to={`/organisations/${organisationId}/saisines/parametres`}>
                  Paramètres des saisines
                </Link>
              </>
            )}
          </p>
        </div>
      </div>
      <Tabs
        label="Filtrer les saisines"
        selectedTabId={filter}
        onTabChange={(id) => setParam('filtre', id)}
        tabs={InboxFilters.map((f) => ({
          tabId: f,
          label: counts ? `${InboxFilterLabels[f]} (${counts[f] ?? 0})` : InboxFilterLabels[f],
        }))}
      >
        {inbox.isError && <ProblemAlert error={inbox.error} />}
        {inbox.isPending ? (
          <Loading />
        ) : !inbox.data ? null : items.length === 0 ? (
          <p>Aucune saisine ici{theme ? ' pour ce thème' : ''}.</p>
        ) : (
          <>
            <InboxTable items={items} filter={filter} bodyRef={tableRef} />
            {inbox.hasNextPage && (
              <Button priority="secondary" onClick={loadMore} disabled={inbox.isFetchingNextPage}>
                {inbox.isFetchingNextPage ? 'Chargement…' : 'Charger plus'}
              </Button>
            )}
          </>
        )}
      </Tabs>
    </>
  );
}

function InboxTable({
  items,
  filter,
  bodyRef,
}: {
  items: RequestSummary[];
  filter: InboxFilter;
  bodyRef: React.RefObject<HTMLTableSectionElement | null>;
}) {
  return (
    <div className="fr-table fr-table--no-caption relais-inbox">
      <table>
        <caption>{`Saisines : ${InboxFilterLabels[filter]}, les plus urgentes d’abord`}</caption>
        <thead>
          <tr>
            <th scope="col">Référence</th>
            <th scope="col">Objet</th>
            <th scope="col">Lieu d’accueil</th>
            <th scope="col">Personne</th>
            <th scope="col">Prise en charge par</th>
            <th scope="col">Délai</th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {items.map((r) => (
            <tr key={r.id} className={r.unread ? 'relais-inbox__unread' : undefined}>
              <td>
                <Link className="relais-inbox__link" to={`/saisines/${r.id}`}>
                  {r.reference}
                  {r.unread && <span className="fr-sr-only"> non lu</span>}
                </Link>
              </td>
              <td>{r.subject}</td>
              <td>{r.contactPoint.name}</td>
              <td>{r.personName ?? '—'}</td>
              <td>{r.assignee?.name ?? '—'}</td>
              <td>
                <DeadlineBadge deadline={r.deadline} hideWhenNone />
              </td>
              <td>
                <RequestStatusBadge status={r.status} label={r.statusLabel} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
