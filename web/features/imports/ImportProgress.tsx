import type { ImportView } from '../../../contracts/imports.ts';
import { ImportStatusLabels } from '../../../contracts/imports.ts';

/** How far an import is: a progress bar for everyone, with its value announced in words. */
export function ImportProgress({ run }: { run: ImportView }) {
  const percent = run.total ? Math.round((run.processed / run.total) * 100) : run.status === 'done' ? 100 : 0;
  return (
    <div className="fr-mb-3w">
      <p className="fr-mb-1w" id="import-progress-label">
        {run.dryRun ? 'Essai' : 'Import'} de « {run.fileName} » : {ImportStatusLabels[run.status]} — {run.processed} / {run.total} lignes (
        {percent} %)
      </p>
      <div
        role="progressbar"
        aria-labelledby="import-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} %`}
        style={{ height: '0.75rem', background: 'var(--background-contrast-grey)', borderRadius: '0.375rem', overflow: 'hidden' }}
      >
        <div
          style={{
            width: `${percent}%`,
            height: '100%',
            background: run.status === 'failed' ? 'var(--background-flat-error)' : 'var(--background-action-high-blue-france)',
            transition: 'width 0.3s',
          }}
        />
      </div>
    </div>
  );
}
