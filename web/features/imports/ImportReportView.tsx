import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Table } from '@codegouvfr/react-dsfr/Table.js';
import type { ImportReport } from '../../../contracts/imports.ts';

const FIELD_LABELS: Record<string, string> = {
  name: 'Nom',
  kind: 'Type de lieu',
  commune: 'Commune',
  inseeCode: 'Code INSEE',
  matricule: 'Matricule',
  labelDate: 'Date de labellisation',
  address: 'Adresse',
  addressComplement: 'Complément d’adresse',
  postcode: 'Code postal',
  latitude: 'Latitude',
  longitude: 'Longitude',
  phone: 'Téléphone',
  email: 'Courriel',
  website: 'Site web',
  managingBody: 'Structure porteuse',
  managingBodyType: 'Type de structure porteuse',
  openingHours: 'Horaires',
  hoursReview: 'Horaires à vérifier',
  description: 'Présentation',
};
const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '(vide)' : String(v));

/** The report of an import: counts, every flagged cell, every changed place with before → after. */
export function ImportReportView({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const c = report.counts;
  const updates = report.changes.filter((ch) => ch.action === 'updated');
  const created = report.changes.filter((ch) => ch.action === 'created');
  return (
    <section aria-labelledby="titre-rapport">
      <h2 id="titre-rapport" className="fr-h4">
        {dryRun ? 'Rapport de l’essai (rien n’a été écrit)' : 'Rapport de l’import'}
      </h2>
      <ul>
        <li>Lignes lues : {c.rows}</li>
        <li>
          Lieux {dryRun ? 'à créer' : 'créés'} : {c.created}
        </li>
        <li>
          Lieux {dryRun ? 'à modifier' : 'modifiés'} : {c.updated}
        </li>
        <li>Lieux inchangés : {c.unchanged}</li>
        <li>Lignes ignorées : {c.skipped}</li>
        <li>Lieux signalés (au moins une cellule à vérifier) : {c.flagged}</li>
        <li>
          Cellules d’horaires converties : {c.hoursCellsConverted} ; à revoir : {c.hoursCellsUnconverted}
        </li>
      </ul>
      {report.otherDepartments.length > 0 && (
        <p>Lignes d’autres départements ignorées : {report.otherDepartments.map((d) => `${d.code} (${d.rows})`).join(', ')}.</p>
      )}
      {report.notes.map((note) => (
        <Alert key={note} small severity="info" description={note} className="fr-mb-2w" />
      ))}
      {report.issues.length > 0 && (
        <Table
          caption={`Cellules signalées (${report.issues.length})`}
          headers={['Ligne', 'Colonne', 'Valeur', 'Motif']}
          data={report.issues.map((i) => [String(i.line), i.column, shown(i.value), i.reason])}
          bordered
          fixed
        />
      )}
      {updates.length > 0 && (
        <Table
          caption={`Lieux ${dryRun ? 'à modifier' : 'modifiés'} (${updates.length})`}
          headers={['Ligne', 'Lieu', 'Champ', 'Avant', 'Après']}
          data={updates.flatMap((ch) =>
            ch.fields.map((f) => [String(ch.line), ch.name, FIELD_LABELS[f.field] ?? f.field, shown(f.before), shown(f.after)]),
          )}
          bordered
        />
      )}
      {report.services && (
        <>
          <p>
            Services data·inclusion : {report.services.total} — partenaires {dryRun ? 'à rattacher' : 'rattachés'} à un lieu :{' '}
            {report.services.linked} ; déjà rattachés : {report.services.alreadyLinked} ; non rattachés : {report.services.unmatched.length}
          </p>
          {report.services.unmatched.length > 0 && (
            <Table
              caption={`Services non rattachés (${report.services.unmatched.length})`}
              headers={['Position', 'Service', 'Structure', 'Motif']}
              data={report.services.unmatched.map((u) => [String(u.index), shown(u.nom ?? u.id), shown(u.structureId), u.reason])}
              bordered
              fixed
            />
          )}
        </>
      )}
      {created.length > 0 && (
        <details className="fr-mb-3w">
          <summary>
            Lieux {dryRun ? 'à créer' : 'créés'} ({created.length})
          </summary>
          <ul>
            {created.map((ch) => (
              <li key={`${ch.line}-${ch.key}`}>
                {ch.name} (ligne {ch.line})
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
