import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useId } from 'react';
import { ApiError } from '../../api/client.ts';
import { fileSize } from './upload.ts';

export interface PendingFile {
  key: string;
  file: File;
  /** 0..1 while sending. */
  progress: number;
  state: 'attente' | 'envoi' | 'envoye' | 'erreur';
  error?: string;
}

export const pendingFileOf = (file: File): PendingFile => ({
  key: `${file.name}-${file.size}-${file.lastModified}-${Math.random().toString(36).slice(2)}`,
  file,
  progress: 0,
  state: 'attente',
});

export const uploadErrorText = (error: unknown) =>
  error instanceof ApiError ? error.detail : 'Le fichier n’a pas pu être envoyé. Réessayez plus tard.';

/** Files to join to the request: picked before sending, uploaded one by one once the request exists. */
export function AttachmentsField({
  files,
  onAdd,
  onRemove,
  locked,
}: {
  files: PendingFile[];
  onAdd: (files: File[]) => void;
  onRemove: (key: string) => void;
  /** Once the request is created: no more picking, the list shows each file's progress. */
  locked: boolean;
}) {
  const id = useId().replace(/:/g, '');
  return (
    <div className="fr-mb-4w">
      {!locked && (
        <div className="fr-upload-group">
          <label className="fr-label" htmlFor={`${id}-fichiers`}>
            Pièces jointes (facultatif)
            <span className="fr-hint-text">
              PDF, JPEG ou PNG ; plusieurs fichiers possibles. Ils sont envoyés juste après la saisine ; un fichier refusé vous est signalé
              avec la raison.
            </span>
          </label>
          <input
            className="fr-upload"
            type="file"
            id={`${id}-fichiers`}
            name="fichiers"
            multiple
            onChange={(event) => {
              onAdd(Array.from(event.target.files ?? []));
              event.target.value = '';
            }}
          />
        </div>
      )}
      {files.length > 0 && (
        <ul className="fr-raw-list fr-mt-2w" aria-label="Pièces jointes choisies">
          {files.map((f) => (
            <li key={f.key} className="relais-attachment fr-mb-1w">
              <span className="relais-attachment__name">
                {f.file.name} <span className="fr-text--sm">({fileSize(f.file.size)})</span>
              </span>
              {f.state === 'attente' && !locked && (
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  onClick={() => onRemove(f.key)}
                  nativeButtonProps={{ 'aria-label': `Retirer ${f.file.name}` }}
                >
                  Retirer
                </Button>
              )}
              {f.state === 'attente' && locked && <span className="fr-text--sm">En attente</span>}
              {f.state === 'envoi' && (
                <progress max={1} value={f.progress} aria-label={`Envoi de ${f.file.name}`}>
                  {Math.round(f.progress * 100)} %
                </progress>
              )}
              {f.state === 'envoye' && <span className="fr-text--sm relais-attachment__ok">Envoyé</span>}
              {f.state === 'erreur' && (
                <p className="fr-error-text fr-mt-0" role="alert">
                  {f.error?.includes(f.file.name) ? f.error : `${f.file.name} : ${f.error ?? 'non envoyé'}`}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
