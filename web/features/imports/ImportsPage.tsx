import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Select } from '@codegouvfr/react-dsfr/Select.js';
import { Upload } from '@codegouvfr/react-dsfr/Upload.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ImportFormatLabels, ImportFormats, type ImportView, MAX_IMPORT_BYTES } from '../../../contracts/imports.ts';
import { api } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { networkKeys } from '../network/queries.ts';
import { ImportHistory, importsKey } from './ImportHistory.tsx';
import { ImportProgress } from './ImportProgress.tsx';
import { ImportReportView } from './ImportReportView.tsx';
import { fileToBase64, useImportRun } from './queries.ts';

type Format = (typeof ImportFormats)[number];

/** The coordination imports the ANCT list or a data·inclusion file, follows the run, reads its report; and exports the network. */
export function ImportsPage() {
  const territoryId = useTerritoryId();
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const run = useImportRun(territoryId, runId);
  const onStarted = (view: ImportView) => {
    setRunId(view.id);
    queryClient.setQueryData(['territory', territoryId, 'imports', view.id], view);
    void queryClient.invalidateQueries({ queryKey: networkKeys.contactPoints(territoryId) });
    void queryClient.invalidateQueries({ queryKey: importsKey(territoryId), exact: true });
  };
  const start = useMutation({
    mutationFn: async (input: { file: File; format: Format; dryRun: boolean }) =>
      api.post<ImportView>(`/api/territories/${territoryId}/imports`, {
        fileName: input.file.name,
        format: input.format,
        contentBase64: await fileToBase64(input.file),
        dryRun: input.dryRun,
      }),
    onSuccess: onStarted,
  });
  const apply = useMutation({
    mutationFn: (id: string) => api.post<ImportView>(`/api/territories/${territoryId}/imports/${id}/apply`),
    onSuccess: onStarted,
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || !file.name) return setFileError('Choisissez le fichier à importer.');
    if (file.size > MAX_IMPORT_BYTES) return setFileError('Le fichier dépasse 5 Mo.');
    setFileError(null);
    start.mutate({ file, format: form.get('format') as Format, dryRun: form.get('dryRun') === 'on' });
  };

  const current = run.data;
  const finished = current?.status === 'done' || current?.status === 'failed';
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: importsKey(territoryId), exact: true });
  }, [finished, queryClient, territoryId]);
  return (
    <>
      <PageTitle>Importer / exporter</PageTitle>
      <p>
        Importez la liste des France Services publiée par l’ANCT (CSV) ou un fichier data·inclusion : chaque ligne crée ou met à jour un
        lieu d’accueil du territoire, retrouvé par son matricule. Rien n’est inventé : une cellule illisible est laissée vide et signalée
        dans le rapport, avec sa ligne et sa colonne. Faites d’abord un essai pour voir les changements sans rien écrire.
      </p>
      <section aria-labelledby="titre-import" className="fr-mb-6w">
        <h2 id="titre-import" className="fr-h4">
          Importer un fichier
        </h2>
        <form noValidate className="fr-col-12 fr-col-md-8 fr-px-0" onSubmit={onSubmit}>
          <ProblemAlert error={start.error} />
          <Upload
            label="Fichier à importer"
            hint="CSV de l’ANCT (séparateur virgule ou point-virgule, UTF-8 ou Latin-1) ou JSON data·inclusion, 5 Mo au plus."
            nativeInputProps={{ name: 'file', accept: '.csv,.json,text/csv,application/json', required: true }}
            state={fileError ? 'error' : 'default'}
            stateRelatedMessage={fileError}
            className="fr-mb-3w"
          />
          <Select label="Format" nativeSelectProps={{ name: 'format', defaultValue: 'anct_csv' }}>
            {ImportFormats.map((f) => (
              <option key={f} value={f}>
                {ImportFormatLabels[f]}
              </option>
            ))}
          </Select>
          <Checkbox
            options={[
              {
                label: 'Essai seulement',
                hintText: 'Montre ce qui serait créé ou modifié, sans rien écrire.',
                nativeInputProps: { name: 'dryRun', defaultChecked: true },
              },
            ]}
          />
          <Button type="submit" disabled={start.isPending || (!!current && !finished)}>
            Lancer l’import
          </Button>
        </form>
      </section>

      {current && (
        <section aria-labelledby="titre-suivi" className="fr-mb-6w" aria-live="polite">
          <h2 id="titre-suivi" className="fr-h4">
            Suivi
          </h2>
          <ImportProgress run={current} />
          {current.status === 'failed' && (
            <Alert severity="error" role="alert" title="L’import a échoué" description={current.error ?? ''} className="fr-mb-3w" />
          )}
          {current.fileExpired && current.status === 'done' && (
            <Alert
              severity="info"
              small
              description="Fichier expiré, relancez l’import : le fichier d’un essai est effacé après 7 jours sans être appliqué."
              className="fr-mb-3w"
            />
          )}
          {current.report && current.status === 'done' && <ImportReportView report={current.report} dryRun={current.dryRun} />}
          {current.canApply && (current.report?.counts.created || current.report?.counts.updated) ? (
            <>
              <ProblemAlert error={apply.error} />
              <Button onClick={() => apply.mutate(current.id)} disabled={apply.isPending}>
                Appliquer ces changements
              </Button>
            </>
          ) : null}
        </section>
      )}

      <ImportHistory territoryId={territoryId} onOpen={setRunId} />

      <section aria-labelledby="titre-export">
        <h2 id="titre-export" className="fr-h4">
          Exporter le réseau
        </h2>
        <p>
          Les lieux d’accueil ouverts et les partenaires qui y sont reçus, au format data·inclusion (schéma v0 : structures et services),
          pour les publier sur data.inclusion.beta.gouv.fr ou les partager.
        </p>
        <a className="fr-link fr-link--download" href={`/api/territories/${territoryId}/exports/data-inclusion`} download>
          Télécharger l’export data·inclusion <span className="fr-link__detail">JSON</span>
        </a>
      </section>
    </>
  );
}
