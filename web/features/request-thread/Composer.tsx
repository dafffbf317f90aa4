import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import type { MessageKind, RequestAction, RequestDetails } from '../../../contracts/requests.ts';
import { ApiError, api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { requestKeys, requestPath } from '../requests/queries.ts';
import { uploadAttachment } from '../requests/upload.ts';
import { formatSize } from './deadline.ts';
import { otherRequestQueries } from './queries.ts';

interface KindChoice {
  kind: MessageKind;
  /** The choice in the radio group. */
  label: string;
  /** The text field's label. */
  field: string;
  submit: string;
  hint?: string;
}

/** The kinds of message the caller may write, from the API's allowedActions. */
export function composerKinds(request: Pick<RequestDetails, 'allowedActions' | 'status'>): KindChoice[] {
  const allowed = (a: RequestAction) => request.allowedActions.includes(a);
  const kinds: KindChoice[] = [];
  if (allowed('answer')) kinds.push({ kind: 'reponse', label: 'Répondre', field: 'Votre réponse', submit: 'Envoyer la réponse' });
  if (allowed('ask_info'))
    kinds.push({
      kind: 'demande_infos',
      label: 'Demander des informations',
      field: 'Les informations ou pièces à fournir',
      submit: 'Envoyer la demande d’informations',
      hint: 'Le délai de réponse est suspendu jusqu’à ce que le lieu d’accueil réponde.',
    });
  if (allowed('partner_message'))
    kinds.push({
      kind: 'message',
      label: 'Message d’attente',
      field: 'Votre message',
      submit: 'Envoyer le message d’attente',
      hint: 'Pour tenir le lieu d’accueil informé ; le délai continue de courir.',
    });
  if (allowed('note'))
    kinds.push({
      kind: 'note_interne',
      label: 'Note interne',
      field: 'Votre note',
      submit: 'Enregistrer la note interne',
      hint: 'Visible de votre organisme seulement.',
    });
  if (allowed('agent_message')) {
    const waiting = request.status === 'attente_infos';
    kinds.push({
      kind: 'message',
      label: 'Message',
      field: waiting ? 'Les informations demandées' : 'Votre message',
      submit: waiting ? 'Envoyer les informations demandées' : 'Envoyer le message',
    });
  }
  return kinds;
}

/** Writing in the thread: the kind of message, its text and attachments (uploaded first, then sent with it). */
export function Composer({
  territoryId,
  request,
  onSent,
}: {
  territoryId: string;
  request: RequestDetails;
  onSent: (details: RequestDetails) => void;
}) {
  const kinds = composerKinds(request);
  const [kind, setKind] = useState<MessageKind | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [text, setText] = useState('');
  const [progress, setProgress] = useState('');
  const [bodyError, setBodyError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // One key per message being written: a retry after a network failure does not post it twice.
  const idempotencyKey = useRef(crypto.randomUUID());
  // Files already uploaded, so that a retry does not upload them again.
  const uploaded = useRef(new Map<File, string>());
  const queryClient = useQueryClient();
  const chosen = kinds.find((k) => k.kind === kind) ?? kinds[0];
  const send = useMutation({
    mutationFn: async ({ body, kind }: { body: string; kind: MessageKind }) => {
      const attachmentIds: string[] = [];
      for (const file of files) {
        let id = uploaded.current.get(file);
        if (!id) {
          const name = file.name;
          id = (await uploadAttachment(territoryId, request.id, file, (f) => setProgress(`Envoi de ${name} : ${Math.round(f * 100)} %`)))
            .id;
          uploaded.current.set(file, id);
        }
        attachmentIds.push(id);
      }
      return api.post<RequestDetails>(
        `${requestPath(territoryId, request.id)}/messages`,
        { kind, body, attachmentIds },
        { headers: { 'idempotency-key': idempotencyKey.current } },
      );
    },
    onSuccess: (details) => {
      queryClient.setQueryData(requestKeys.one(territoryId, request.id), details);
      void queryClient.invalidateQueries(otherRequestQueries(territoryId));
      idempotencyKey.current = crypto.randomUUID();
      uploaded.current.clear();
      setFiles([]);
      setText('');
      setKind(null);
      if (fileInput.current) fileInput.current.value = '';
      onSent(details);
    },
  });
  if (!chosen) return null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) {
      setBodyError('Écrivez votre message.');
      return;
    }
    setBodyError(null);
    setProgress('');
    send.mutate({ body, kind: chosen.kind });
  };
  return (
    <section className="fr-mt-4w" aria-labelledby="titre-ecrire">
      <h2 id="titre-ecrire" className="fr-h4">
        Écrire
      </h2>
      <form onSubmit={onSubmit} noValidate>
        {kinds.length > 1 && (
          <RadioButtons
            legend="Type de message"
            orientation="horizontal"
            name="kind"
            options={kinds.map((k) => ({
              label: k.label,
              nativeInputProps: { value: k.kind, checked: k.kind === chosen.kind, onChange: () => setKind(k.kind) },
            }))}
          />
        )}
        <Input
          label={chosen.field}
          hintText={chosen.hint}
          textArea
          state={bodyError ? 'error' : 'default'}
          stateRelatedMessage={bodyError ?? undefined}
          nativeTextAreaProps={{ name: 'body', rows: 6, maxLength: 10_000, value: text, onChange: (e) => setText(e.target.value) }}
        />
        <div className="fr-upload-group fr-mb-2w">
          <label className="fr-label" htmlFor="pieces-jointes">
            Pièces jointes
            <span className="fr-hint-text">
              Facultatif. PDF, photos JPEG ou PNG (celles d’un iPhone sont converties) ; plusieurs fichiers possibles.
            </span>
          </label>
          <input
            className="fr-upload"
            type="file"
            id="pieces-jointes"
            ref={fileInput}
            name="files"
            multiple
            accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,.pdf,.jpg,.jpeg,.png,.heic,.heif"
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          />
          {files.length > 0 && (
            <ul className="fr-text--sm fr-mt-1w" aria-label="Fichiers choisis">
              {files.map((f) => (
                <li key={`${f.name}-${f.size}`}>
                  {f.name} ({formatSize(f.size)})
                </li>
              ))}
            </ul>
          )}
        </div>
        <ProblemAlert
          error={send.error}
          title={send.error instanceof ApiError && send.error.code.startsWith('ATTACHMENT_') ? 'Pièce jointe refusée' : undefined}
        />
        <Button type="submit" disabled={send.isPending} iconId="fr-icon-send-plane-line" iconPosition="left">
          {send.isPending ? 'Envoi en cours…' : chosen.submit}
        </Button>
        <p className="fr-text--sm fr-mt-1w" role="status">
          {send.isPending ? progress || 'Envoi en cours' : ''}
        </p>
      </form>
    </section>
  );
}
