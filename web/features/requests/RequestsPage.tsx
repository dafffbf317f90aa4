import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch.js';
import { Link, useSearchParams } from 'react-router';
import { OpenRequestStatuses, type RequestStatus, RequestStatuses, type RequestSummary } from '../../../contracts/requests.ts';
import { formatDate } from '../../components/format.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisations } from '../network/queries.ts';
import { DeadlineBadge, RequestStatusBadge, UnreadDot } from './badges.tsx';
import { deadlineText } from './deadline-text.ts';
import { LookupBox } from './LookupBox.tsx';
import { AgentStatusLabels, type RequestFilters, useRequestList } from './queries.ts';
import './requests.css';

/** The contact point's requests (all of the territory for a coordinator): open ones by default, filters in the address. */
export function RequestsPage() {
  const territoryId = useTerritoryId();
  const { role } = useSession();
  const [params, setParams] = useSearchParams();
  const showAll = params.get('toutes') === '1';
  const status = RequestStatuses.find((s) => s === params.get('statut'));
  const filters: RequestFilters = {
    open: showAll ? 'non' : 'oui',
    ...(status ? { status } : {}),
    ...(params.get('partenaire') ? { organisationId: params.get('partenaire') ?? '' } : {}),
  };
  const organisations = useOrganisations(territoryId);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const statuses: readonly RequestStatus[] = showAll ? RequestStatuses : OpenRequestStatuses;
  return (
    <>
      <PageTitle>Saisines</PageTitle>
      <p>
        {role === 'coordinator'
          ? 'Les demandes transmises aux partenaires par les lieux d’accueil du territoire.'
          : 'Les demandes que votre lieu d’accueil a transmises aux partenaires, et leurs réponses.'}
      </p>
      {role === 'agent' && (
        <p>
          <Link className="fr-btn fr-btn--icon-left fr-icon-add-line" to="/saisines/nouvelle">
            Saisir un partenaire
          </Link>
        </p>
      )}
      <LookupBox territoryId={territoryId} />
      <section aria-labelledby="titre-liste">
        <h2 id="titre-liste" className="fr-h4">
          {showAll ? 'Toutes les saisines' : 'Saisines en cours'}
        </h2>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-2w">
          <div className="fr-col-12 fr-col-md-4">
            <ToggleSwitch
              label="Afficher aussi les saisines clôturées"
              checked={showAll}
              showCheckedHint={false}
              onChange={(checked) => {
                const next = new URLSearchParams(params);
                if (checked) next.set('toutes', '1');
                else {
                  next.delete('toutes');
                  if (status && !OpenRequestStatuses.includes(status)) next.delete('statut');
                }
                setParams(next, { replace: true });
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Statut" nativeSelectProps={{ value: status ?? '', onChange: (e) => set('statut', e.target.value || null) }}>
              <option value="">Tous les statuts</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {AgentStatusLabels[s]}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Partenaire"
              nativeSelectProps={{ value: filters.organisationId ?? '', onChange: (e) => set('partenaire', e.target.value || null) }}
            >
              <option value="">Tous les partenaires</option>
              {(organisations.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {`${o.acronym} — ${o.name}`}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <RequestTable
          territoryId={territoryId}
          filters={filters}
          caption={showAll ? 'Toutes les saisines' : 'Saisines en cours'}
          showContactPoint={role === 'coordinator'}
        />
      </section>
    </>
  );
}

/** A table of requests with « Afficher plus » while the API has further pages. */
export function RequestTable({
  territoryId,
  filters,
  caption,
  showPerson = true,
  showContactPoint = false,
  empty = 'Aucune saisine.',
}: {
  territoryId: string;
  filters: RequestFilters;
  caption: string;
  showPerson?: boolean;
  /** For the coordinators, who see every contact point's requests. */
  showContactPoint?: boolean;
  empty?: string;
}) {
  const list = useRequestList(territoryId, filters);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ProblemAlert error={list.error} />;
  const items = list.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <>
      <div className="fr-table fr-table--no-caption">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">Référence</th>
                    <th scope="col">Objet</th>
                    {showContactPoint && <th scope="col">Lieu d’accueil</th>}
                    {showPerson && <th scope="col">Personne</th>}
                    <th scope="col">Partenaire</th>
                    <th scope="col">Statut</th>
                    <th scope="col">Délai</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <RequestRow key={r.id} request={r} showPerson={showPerson} showContactPoint={showContactPoint} />
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
      {list.hasNextPage && (
        <Button priority="secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Afficher plus de saisines
        </Button>
      )}
    </>
  );
}

function RequestRow({
  request: r,
  showPerson,
  showContactPoint,
}: {
  request: RequestSummary;
  showPerson: boolean;
  showContactPoint: boolean;
}) {
  return (
    <tr>
      <td>
        {r.unread && <UnreadDot />} <Link to={`/saisines/${r.id}`}>{r.reference}</Link>
        <br />
        <span className="fr-text--xs">{`envoyée le ${formatDate(r.sentAt ?? r.createdAt)}`}</span>
      </td>
      <td>{r.subject}</td>
      {showContactPoint && <td>{r.contactPoint.name}</td>}
      {showPerson && <td>{r.personName ?? '—'}</td>}
      <td>
        <abbr title={r.organisation.name}>{r.organisation.acronym}</abbr>
        {r.assignee ? <span className="fr-text--xs">{` · ${r.assignee.name}`}</span> : null}
      </td>
      <td>
        <RequestStatusBadge status={r.status} label={r.statusLabel} />
      </td>
      <td>
        {deadlineText(r.deadline) ? (
          <DeadlineBadge deadline={r.deadline} />
        ) : (
          <>
            <span aria-hidden="true">—</span>
            <span className="fr-sr-only">Pas de délai en cours</span>
          </>
        )}
      </td>
    </tr>
  );
}
