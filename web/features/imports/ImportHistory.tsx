import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { useQuery } from '@tanstack/react-query';
import { ImportFormatLabels, ImportStatusLabels, type ImportSummaryView } from '../../../contracts/imports.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';

export const importsKey = (territoryId: string) => ['territory', territoryId, 'imports'] as const;

/** The territory's last imports; a button opens the report of one. */
export function ImportHistory({ territoryId, onOpen }: { territoryId: string; onOpen: (id: string) => void }) {
  const imports = useQuery({
    queryKey: importsKey(territoryId),
    queryFn: () => api.get<ImportSummaryView[]>(`/api/territories/${territoryId}/imports`),
  });
  const rows = imports.data ?? [];
  if (!rows.length) return null;
  return (
    <section aria-labelledby="titre-historique" className="fr-mb-6w">
      <h2 id="titre-historique" className="fr-h4">
        Imports précédents
      </h2>
      <Table
        caption="Imports précédents du territoire"
        noCaption
        headers={['Date', 'Fichier', 'Format', 'État', 'Créés / modifiés / inchangés', 'Rapport']}
        data={rows.map((r) => [
          formatDateTime(r.createdAt),
          r.fileName,
          ImportFormatLabels[r.format],
          `${ImportStatusLabels[r.status]}${r.dryRun ? ' (essai)' : ''}${r.fileExpired ? ' — fichier expiré, relancez l’import' : ''}`,
          r.counts ? `${r.counts.created} / ${r.counts.updated} / ${r.counts.unchanged}` : '—',
          <Button key={r.id} priority="tertiary" size="small" onClick={() => onOpen(r.id)}>
            Voir
            <span className="fr-sr-only">
              {' '}
              le rapport de {r.fileName} du {formatDateTime(r.createdAt)}
            </span>
          </Button>,
        ])}
      />
    </section>
  );
}
