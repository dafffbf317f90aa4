import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { ConsentHowLabels, InformedHowLabels } from '../../../contracts/people.ts';
import { type HistoryItem, HistoryKindLabels } from '../../../contracts/people-lifecycle.ts';
import { themeLabel } from '../../../contracts/themes.ts';
import { VisitActionLabels, VisitChannelLabels } from '../../../contracts/visits.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { usePersonHistory } from './lifecycle-queries.ts';

const label = (labels: Record<string, string>, code: string) => labels[code] ?? code;

/** What was done with and for the person, newest first: visits, mandates, consents, merges. */
export function HistorySection({ territoryId, personId }: { territoryId: string; personId: string }) {
  const history = usePersonHistory(territoryId, personId);
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-historique">
      <h2 id="titre-historique" className="fr-h4">
        Historique
      </h2>
      <ProblemAlert error={history.error} />
      {history.isPending ? (
        <p>Chargement de l’historique…</p>
      ) : items.length === 0 ? (
        <p>Rien encore dans l’historique de ce dossier.</p>
      ) : (
        <ol className="fr-raw-list" aria-label="Historique du dossier, du plus récent au plus ancien">
          {items.map((item) => (
            <li key={item.key} className="fr-mb-2w">
              <p className="fr-mb-0">
                <strong>{HistoryKindLabels[item.kind]}</strong> · <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                {item.contactPoint ? ` · ${item.contactPoint.name}` : ''}
              </p>
              <Details item={item} />
            </li>
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <Button priority="secondary" size="small" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {history.isFetchingNextPage ? 'Chargement…' : 'Afficher les événements plus anciens'}
        </Button>
      )}
    </section>
  );
}

function Details({ item }: { item: HistoryItem }) {
  const parts: string[] = [];
  if (item.visit) {
    parts.push(label(VisitChannelLabels, item.visit.channel));
    if (item.visit.mandateId) parts.push('sous mandat');
    if (item.visit.organisations.length) parts.push(`partenaires : ${item.visit.organisations.map((o) => o.name).join(', ')}`);
    if (item.visit.themeCodes.length) parts.push(`thèmes : ${item.visit.themeCodes.map(themeLabel).join(', ')}`);
    const actions = item.visit.actions.filter((a) => a !== 'sous_mandat');
    if (actions.length) parts.push(actions.map((a) => label(VisitActionLabels, a)).join(', '));
  }
  if (item.mandate) {
    parts.push(`du ${formatDate(item.mandate.startsAt)} au ${formatDate(item.mandate.endsAt)}`);
    if (item.kind === 'mandate_revoked' && item.mandate.revokedReason) parts.push(`motif : ${item.mandate.revokedReason}`);
  }
  if (item.request) parts.push(`saisine ${item.request.reference}`);
  if (item.organisation) parts.push(item.organisation.name);
  if (item.how) parts.push(label({ ...InformedHowLabels, ...ConsentHowLabels }, item.how));
  if (item.kind === 'merged') parts.push('les accueils, accords et mandats de l’autre dossier sont repris ici');
  return parts.length ? <p className="fr-text--sm fr-mb-0">{parts.join(' · ')}</p> : null;
}
