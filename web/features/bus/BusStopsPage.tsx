import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { BusStopView } from '../../../contracts/partners.ts';
import { api } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession, useTerritoryId } from '../../session/SessionContext.tsx';
import { useContactPoint } from '../network/queries.ts';
import { partnerKeys, useBusStops } from '../partners/queries.ts';
import { BusSeriesForm, BusStopForm } from './BusStopForms.tsx';

const longDate = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** "2030-06-05" → "mercredi 5 juin 2030" (a calendar date, no time zone involved). */
export const formatStopDate = (date: string) => longDate.format(new Date(`${date}T00:00:00Z`));

/** The stops of a travelling bus or antenna: its "hours" are dated stops in the communes. */
export function BusStopsPage() {
  const territoryId = useTerritoryId();
  const { id = '' } = useParams();
  const { role } = useSession();
  const canEdit = role === 'coordinator';
  const contactPoint = useContactPoint(territoryId, id);
  const [period, setPeriod] = useState<'upcoming' | 'past'>('upcoming');
  const stops = useBusStops(territoryId, id, period);
  const name = contactPoint.data?.name ?? 'Bus itinérant';
  return (
    <>
      <Breadcrumb
        currentPageLabel="Arrêts"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Réseau', linkProps: { to: '/reseau' } },
          { label: name, linkProps: { to: `/reseau/lieux/${id}` } },
        ]}
      />
      <PageTitle title={`Arrêts — ${name}`}>{`Arrêts : ${name}`}</PageTitle>
      <SegmentedControl
        legend="Arrêts à afficher"
        hideLegend
        segments={[
          { label: 'À venir', nativeInputProps: { checked: period === 'upcoming', onChange: () => setPeriod('upcoming') } },
          { label: 'Passés', nativeInputProps: { checked: period === 'past', onChange: () => setPeriod('past') } },
        ]}
      />
      <QueryState query={stops}>
        {(rows) => <StopsTable territoryId={territoryId} contactPointId={id} rows={rows} period={period} canEdit={canEdit} />}
      </QueryState>
      {canEdit && (
        <div className="fr-grid-row fr-grid-row--gutters fr-mt-4w">
          <section className="fr-col-12 fr-col-lg-6" aria-labelledby="titre-nouvel-arret">
            <h2 id="titre-nouvel-arret" className="fr-h5">
              Ajouter un arrêt
            </h2>
            <BusStopForm territoryId={territoryId} contactPointId={id} />
          </section>
          <section className="fr-col-12 fr-col-lg-6" aria-labelledby="titre-nouvelle-serie">
            <h2 id="titre-nouvelle-serie" className="fr-h5">
              Ajouter une tournée hebdomadaire
            </h2>
            <BusSeriesForm territoryId={territoryId} contactPointId={id} />
          </section>
        </div>
      )}
    </>
  );
}

function StopsTable(props: {
  territoryId: string;
  contactPointId: string;
  rows: BusStopView[];
  period: 'upcoming' | 'past';
  canEdit: boolean;
}) {
  const { territoryId, contactPointId, rows, canEdit } = props;
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: (stopId: string) => api.post<BusStopView>(`/api/territories/${territoryId}/bus-stops/${stopId}/cancel`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.busStops(territoryId, contactPointId) }),
  });
  if (!rows.length) return <p>{props.period === 'upcoming' ? 'Aucun arrêt à venir.' : 'Aucun arrêt passé.'}</p>;
  const showActions = canEdit && props.period === 'upcoming';
  return (
    <>
      <ProblemAlert error={cancel.error} />
      <Table
        caption={props.period === 'upcoming' ? 'Arrêts à venir' : 'Arrêts passés'}
        headers={['Date', 'Horaires', 'Commune', 'Lieu', 'Remarque', ...(showActions ? ['Action'] : [])]}
        data={rows.map((s) => [
          formatStopDate(s.date),
          s.cancelledAt ? (
            <span key="cancelled">
              <span className="fr-badge fr-badge--sm fr-badge--warning">Annulé</span> <s>{`${s.startTime} – ${s.endTime}`}</s>
            </span>
          ) : (
            `${s.startTime} – ${s.endTime}`
          ),
          `${s.commune} (${s.inseeCode ?? '—'})`,
          s.place,
          s.note ?? '',
          ...(showActions
            ? [
                s.cancelledAt ? (
                  ''
                ) : (
                  <Button
                    key="cancel"
                    size="small"
                    priority="tertiary"
                    disabled={cancel.isPending}
                    title={`Annuler l’arrêt du ${formatStopDate(s.date)} à ${s.commune}`}
                    onClick={() => {
                      if (window.confirm(`Annuler l’arrêt du ${formatStopDate(s.date)} à ${s.commune} ?`)) cancel.mutate(s.id);
                    }}
                  >
                    Annuler
                  </Button>
                ),
              ]
            : []),
        ])}
      />
    </>
  );
}
