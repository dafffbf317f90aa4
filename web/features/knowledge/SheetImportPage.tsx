import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Upload } from '@codegouvfr/react-dsfr/Upload.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { ImportReport } from '../../../contracts/knowledge.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { SuccessAlert } from '../../components/SuccessAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useOrganisations } from '../network/queries.ts';
import { knowledgeKeys, knowledgePath } from './queries.ts';
import { SynonymsSection } from './SynonymsSection.tsx';
import { importSheets, reportOf } from './upload.ts';
import './knowledge.css';

const ACTION_LABELS: Record<ImportReport['sheets'][number]['action'], string> = {
  created: 'Créée',
  updated: 'Mise à jour',
  unchanged: 'Inchangée',
};

/** The coordination imports sheets written in Markdown (one file or a zip), after an essay; and exports them. */
export function SheetImportPage() {
  const territoryId = useTerritoryId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (input: { file: File; dryRun: boolean }) => importSheets(territoryId, input.file, input.dryRun),
    onSuccess: (report) => {
      if (!report.dryRun) void queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(territoryId) });
    },
  });
  const report = run.data ?? reportOf(run.error);

  const onCheck = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setFileError('Choisissez un fichier .zip ou .md.');
    if (!/\.(zip|md|markdown)$/i.test(file.name)) return setFileError('Le fichier doit être un .zip de fiches ou une fiche .md.');
    setFileError(null);
    run.mutate({ file, dryRun: true });
  };
  const canImport = !!file && run.data?.dryRun === true && run.data.errors.length === 0 && run.data.created + run.data.updated > 0;

  return (
    <>
      <PageTitle>Importer et exporter des fiches</PageTitle>
      <p>
        Une fiche s’écrit en Markdown, avec ses rubriques en titres de niveau 2 (## Pour qui, ## Étapes…) : c’est le format de l’export.
        Importez une fiche (.md) ou plusieurs dans un .zip ; un essai montre d’abord ce qui serait créé ou modifié, sans rien écrire.{' '}
        <Link to="/fiches">Toutes les fiches</Link>
      </p>
      <section aria-labelledby="titre-import" className="fr-mb-6w">
        <h2 id="titre-import" className="fr-h4">
          Importer
        </h2>
        <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onCheck} aria-label="Importer des fiches">
          <Upload
            label="Fichier de fiches"
            hint="Un .zip de fichiers Markdown ou une fiche .md"
            nativeInputProps={{
              name: 'file',
              accept: '.zip,.md,.markdown,application/zip,text/markdown',
              onChange: (e) => {
                setFile(e.target.files?.[0] ?? null);
                setFileError(null);
                run.reset();
              },
            }}
            state={fileError ? 'error' : 'default'}
            stateRelatedMessage={fileError}
            className="fr-mb-3w"
          />
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button type="submit" priority={canImport ? 'secondary' : 'primary'} disabled={run.isPending}>
                Vérifier le fichier (essai)
              </Button>
            </li>
            {canImport && (
              <li>
                <Button type="button" disabled={run.isPending} onClick={() => file && run.mutate({ file, dryRun: false })}>
                  Importer
                </Button>
              </li>
            )}
          </ul>
        </form>
        <div aria-live="polite">
          {run.isPending && <p>Lecture du fichier…</p>}
          {run.data && !run.data.dryRun && (
            <SuccessAlert>{`Import terminé : ${run.data.created} créée(s), ${run.data.updated} mise(s) à jour, ${run.data.unchanged} inchangée(s).`}</SuccessAlert>
          )}
          {!reportOf(run.error) && <ProblemAlert error={run.error} />}
          {report && <ReportTable report={report} refused={!run.data} />}
        </div>
      </section>
      <ExportSection territoryId={territoryId} />
      <SynonymsSection territoryId={territoryId} />
    </>
  );
}

function ReportTable({ report, refused }: { report: ImportReport; refused: boolean }) {
  return (
    <>
      <h3 className="fr-h5">
        {refused ? 'Fichier refusé' : report.dryRun ? 'Résultat de l’essai (rien n’est écrit)' : 'Rapport de l’import'}
      </h3>
      <p>{`${report.created} à créer ou créée(s), ${report.updated} mise(s) à jour, ${report.unchanged} inchangée(s), ${report.errors.length} fichier(s) refusé(s).`}</p>
      {report.errors.length > 0 && (
        <div className="fr-table">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Fichiers refusés</caption>
                  <thead>
                    <tr>
                      <th scope="col">Fichier</th>
                      <th scope="col">Raison</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.errors.map((e) => (
                      <tr key={`${e.file}-${e.code}`}>
                        <td>{e.file}</td>
                        <td>{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
      {report.sheets.length > 0 && (
        <div className="fr-table">
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table>
                  <caption>Fiches lues</caption>
                  <thead>
                    <tr>
                      <th scope="col">Fichier</th>
                      <th scope="col">Identifiant</th>
                      <th scope="col">{report.dryRun ? 'Action prévue' : 'Action'}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.sheets.map((s) => (
                      <tr key={s.file}>
                        <td>{s.file}</td>
                        <td>{s.slug}</td>
                        <td>{ACTION_LABELS[s.action]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
    </>
  );
}

function ExportSection({ territoryId }: { territoryId: string }) {
  const organisations = useOrganisations(territoryId);
  const [owner, setOwner] = useState('');
  const href = `${knowledgePath(territoryId)}/export${owner ? `?organisationId=${encodeURIComponent(owner)}` : ''}`;
  return (
    <section aria-labelledby="titre-export">
      <h2 id="titre-export" className="fr-h4">
        Exporter
      </h2>
      <p>Un .zip des fiches en Markdown, à relire ou à réimporter.</p>
      <div className="fr-col-12 fr-col-md-6 fr-px-0">
        <Select
          className="fr-mb-2w"
          label="Fiches à exporter"
          nativeSelectProps={{ value: owner, onChange: (e) => setOwner(e.target.value) }}
        >
          <option value="">Toutes les fiches</option>
          <option value="reseau">Fiches du réseau</option>
          {(organisations.data ?? []).map((o) => (
            <option key={o.id} value={o.id}>{`${o.acronym} — ${o.name}`}</option>
          ))}
        </Select>
      </div>
      <a className="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href={href} download>
        Télécharger l’export (.zip)
      </a>
    </section>
  );
}
