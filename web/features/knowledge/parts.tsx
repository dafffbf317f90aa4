import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Tag } from '@codegouvfr/react-dsfr/Tag.js';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { type FeedbackContext, type SheetHit, type SheetStatus, SheetStatusLabels } from '../../../contracts/knowledge.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { splitHighlight } from './highlight.ts';
import { sheetPath } from './queries.ts';

/** A text of the API with its matched words as <mark> (split, never parsed as HTML). */
export function Highlighted({ text }: { text: string }) {
  return (
    <>
      {splitHighlight(text).map((part, index) =>
        part.highlighted ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <mark key={index}>{part.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

/** « À revoir » when not verified for a year; the status when the sheet is not published. */
export function SheetBadges({ stale, status }: { stale: boolean; status: SheetStatus }) {
  if (!stale && status === 'publiee') return null;
  return (
    <span className="relais-sheet-badges">
      {status !== 'publiee' && (
        <Badge small noIcon severity={status === 'archivee' ? undefined : 'info'}>
          {SheetStatusLabels[status]}
        </Badge>
      )}
      {stale && (
        <Badge small severity="warning">
          À revoir
        </Badge>
      )}
    </span>
  );
}

/** The partner (acronym, name on hover and for screen readers) and the themes of a sheet, as tags. */
export function SheetTags({ hit }: { hit: Pick<SheetHit, 'organisation' | 'themes'> }) {
  if (!hit.organisation && hit.themes.length === 0) return null;
  return (
    <ul className="fr-tags-group relais-sheet-tags">
      {hit.organisation ? (
        <li>
          <Tag small iconId="fr-icon-building-line">
            <abbr title={hit.organisation.name}>{hit.organisation.acronym}</abbr>
          </Tag>
        </li>
      ) : (
        <li>
          <Tag small>Réseau</Tag>
        </li>
      )}
      {hit.themes.map((t) => (
        <li key={t.code}>
          <Tag small>{t.label}</Tag>
        </li>
      ))}
    </ul>
  );
}

/**
 * « Cette fiche vous a-t-elle aidé ? » Oui / Non: one answer, then a thank-you message (announced).
 * `question` changes with the context (« Cette fiche a-t-elle répondu ? » in a form).
 */
export function FeedbackQuestion({
  territoryId,
  sheetId,
  context,
  question,
  about,
  small,
}: {
  territoryId: string;
  sheetId: string;
  context: FeedbackContext;
  question: string;
  /** The sheet's title, for screen readers, where several questions follow each other (suggestions). */
  about?: string;
  small?: boolean;
}) {
  const [answered, setAnswered] = useState<boolean | null>(null);
  const send = useMutation({
    mutationFn: (helpful: boolean) => api.post(`${sheetPath(territoryId, sheetId)}/feedback`, { helpful, context }),
    onSuccess: (_, helpful) => setAnswered(helpful),
  });
  return (
    <div className="relais-feedback">
      <div role="status">
        {answered !== null && (
          <p className={small ? 'fr-text--sm fr-mb-0' : 'fr-mb-0'}>
            <span className="fr-icon-check-line fr-icon--sm" aria-hidden="true" />{' '}
            {answered ? 'Merci, votre réponse est enregistrée.' : 'Merci : la fiche sera signalée à son responsable pour l’améliorer.'}
          </p>
        )}
      </div>
      {answered === null && (
        <fieldset className="relais-feedback__question">
          <legend className={small ? 'fr-text--sm fr-mb-0' : 'fr-mb-0'}>
            {question}
            {about && <span className="fr-sr-only">{` (${about})`}</span>}
          </legend>
          <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
            <li>
              <Button type="button" size="small" priority="secondary" disabled={send.isPending} onClick={() => send.mutate(true)}>
                Oui
              </Button>
            </li>
            <li>
              <Button type="button" size="small" priority="secondary" disabled={send.isPending} onClick={() => send.mutate(false)}>
                Non
              </Button>
            </li>
          </ul>
        </fieldset>
      )}
      <ProblemAlert error={send.error} className="fr-mt-1w" />
    </div>
  );
}

/**
 * Markdown the server rendered and sanitised (no raw HTML, http(s)/mailto/tel links only): a
 * sheet's sections and the editor's preview. The one place the app sets HTML.
 */
export function ServerHtml({ html, className }: { html: string; className?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitised Markdown rendering (SheetView.html, PreviewView.html)
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
