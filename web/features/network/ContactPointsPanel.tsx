import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { Link } from 'react-router';
import { ContactPointKindLabels, type LabelCheckRow } from '../../../contracts/network.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { ContactPointForm } from './ContactPointForm.tsx';
import { HoursStatusBadge } from './HoursDisplay.tsx';
import { NextStopBadge } from './NextStopBadge.tsx';
import { useContactPoints, useLabelChecks, useTerritories } from './queries.ts';

function LabelStatus({ row }: { row: LabelCheckRow | undefined }) {
  if (!row) return <>—</>;
  if (row.labelCheck.ok)
    return (
      <Badge small severity="success">
        Critères remplis
      </Badge>
    );
  const n = row.labelCheck.missing.length;
  return (
    <Badge small severity="warning">
      {`À compléter : ${n} ${n > 1 ? 'manques' : 'manque'}`}
    </Badge>
  );
}

export function ContactPointsPanel({ territoryId, canEdit }: { territoryId: string; canEdit: boolean }) {
  const contactPoints = useContactPoints(territoryId);
  const labelChecks = useLabelChecks(territoryId, canEdit);
  const timezone = useTerritories().data?.find((t) => t.id === territoryId)?.timezone ?? 'Europe/Paris';
  const checks = new Map((labelChecks.data ?? []).map((r) => [r.contactPointId, r]));
  return (
    <>
      <h2 className="fr-h4">Lieux d’accueil</h2>
      <QueryState query={contactPoints}>
        {(rows) =>
          rows.length ? (
            <Table
              caption="Lieux d’accueil du territoire"
              noCaption
              headers={['Nom', 'Type', 'Commune', 'Maintenant', ...(canEdit ? ['Label France Services'] : [])]}
              data={rows.map((cp) => [
                <Link key="name" to={`/reseau/lieux/${cp.id}`} className="fr-link">
                  {cp.name}
                </Link>,
                ContactPointKindLabels[cp.kind],
                cp.commune,
                (cp.kind === 'bus' || cp.kind === 'antenne') && !cp.closedAt ? (
                  <NextStopBadge key="now" stop={cp.nextStop} timeZone={timezone} />
                ) : (
                  <HoursStatusBadge key="now" status={cp.now} timezone={timezone} />
                ),
                ...(canEdit
                  ? [cp.kind === 'france_services' && !cp.closedAt ? <LabelStatus key="label" row={checks.get(cp.id)} /> : '—']
                  : []),
              ])}
            />
          ) : (
            <p>Aucun lieu d’accueil pour l’instant.</p>
          )
        }
      </QueryState>
      {canEdit && (
        <section className="fr-mt-4w" aria-labelledby="titre-nouveau-lieu">
          <h3 id="titre-nouveau-lieu" className="fr-h5">
            Ajouter un lieu d’accueil
          </h3>
          <ContactPointForm territoryId={territoryId} />
        </section>
      )}
    </>
  );
}
