import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Link, useParams, useSearchParams } from 'react-router';
import { type SheetStatus, SheetStatusLabels } from '../../../contracts/knowledge.ts';
import { formatDateTime } from '../../components/format.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { DiffView } from './DiffView.tsx';
import { useSheet, useSheetDiff, useSheetVersions } from './queries.ts';
import './knowledge.css';

interface VersionRow {
  version: number;
  title: string;
  status: SheetStatus;
  note: string | null;
  author: { name: string } | null;
  createdAt: string;
  proposalId: string | null;
}

/** A sheet's versions, and what changed between two of them (by default the last change). */
export function SheetHistoryPage() {
  const territoryId = useTerritoryId();
  const { sheetId = '' } = useParams();
  const sheet = useSheet(territoryId, sheetId);
  const versions = useSheetVersions(territoryId, sheetId);
  return (
    <>
      <PageTitle title={sheet.data ? `Historique : ${sheet.data.title}` : 'Historique de la fiche'}>Historique de la fiche</PageTitle>
      {sheet.data && (
        <p>
          <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to={`/fiches/${sheetId}`}>
            {sheet.data.title}
          </Link>
        </p>
      )}
      <QueryState query={versions}>{(list) => <History territoryId={territoryId} sheetId={sheetId} versions={list} />}</QueryState>
    </>
  );
}

function History({ territoryId, sheetId, versions }: { territoryId: string; sheetId: string; versions: VersionRow[] }) {
  const [params, setParams] = useSearchParams();
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const latest = sorted[0]?.version ?? 1;
  const numberOf = (name: string, fallback: number) => {
    const n = Number(params.get(name));
    return sorted.some((v) => v.version === n) ? n : fallback;
  };
  const to = numberOf('a', latest);
  const from = numberOf('de', sorted.find((v) => v.version < to)?.version ?? to);
  const diff = useSheetDiff(territoryId, sheetId, from, to);
  const choose = (name: 'de' | 'a', value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  };

  return (
    <>
      <section aria-labelledby="titre-versions">
        <h2 id="titre-versions" className="fr-h4">
          Versions
        </h2>
        <div className="fr-table fr-table--no-caption">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Versions de la fiche, de la plus récente à la plus ancienne</caption>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Date</th>
                      <th scope="col">Auteur</th>
                      <th scope="col">Note</th>
                      <th scope="col">Statut</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((v) => (
                      <tr key={v.version}>
                        <th scope="row">{v.version}</th>
                        <td>{formatDateTime(v.createdAt)}</td>
                        <td>{v.author?.name ?? '—'}</td>
                        <td>
                          {v.note ?? (v.proposalId ? '' : '—')}
                          {v.proposalId && (
                            <span className="fr-text--xs">{v.note ? ' · proposition acceptée' : 'Proposition acceptée'}</span>
                          )}
                        </td>
                        <td>{SheetStatusLabels[v.status]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      </section>

      <section aria-labelledby="titre-comparaison">
        <h2 id="titre-comparaison" className="fr-h4">
          Comparer deux versions
        </h2>
        {sorted.length < 2 ? (
          <p>La fiche n’a qu’une version.</p>
        ) : (
          <>
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-4">
                <Select
                  label="Version de départ"
                  nativeSelectProps={{ value: String(from), onChange: (e) => choose('de', e.target.value) }}
                >
                  {sorted.map((v) => (
                    <option key={v.version} value={v.version}>{`Version ${v.version}`}</option>
                  ))}
                </Select>
              </div>
              <div className="fr-col-12 fr-col-md-4">
                <Select label="Version d’arrivée" nativeSelectProps={{ value: String(to), onChange: (e) => choose('a', e.target.value) }}>
                  {sorted.map((v) => (
                    <option key={v.version} value={v.version}>{`Version ${v.version}`}</option>
                  ))}
                </Select>
              </div>
            </div>
            <div aria-live="polite" className="fr-mt-3w">
              <h3 className="fr-h5">{`De la version ${from} à la version ${to}`}</h3>
              {from === to ? (
                <p>Choisissez deux versions différentes.</p>
              ) : diff.isPending ? (
                <Loading />
              ) : diff.isError ? (
                <ProblemAlert error={diff.error} />
              ) : (
                <DiffView changes={diff.data.changes} headingLevel={4} />
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}
