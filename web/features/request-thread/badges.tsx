import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import type { DeadlineView, RequestStatus } from '../../../contracts/requests.ts';
import { deadlineSeverity, deadlineShortLabel, deadlineSpokenLabel } from './deadline.ts';

/*
 * Minimal local badges until web/features/requests/badges.tsx (RequestStatusBadge, DeadlineBadge,
 * owned by the agent-side helper) is merged; then these can be replaced by those.
 */

const statusSeverity: Record<RequestStatus, 'new' | 'info' | 'warning' | 'success' | undefined> = {
  envoyee: 'new',
  en_cours: 'info',
  attente_infos: 'warning',
  repondue: 'success',
  cloturee: undefined,
  archivee: undefined,
};

/** The request's status in the caller's words (statusLabel comes from the API). */
export const ThreadStatusBadge = ({ status, label }: { status: RequestStatus; label: string }) => (
  <Badge small noIcon severity={statusSeverity[status]}>
    {label}
  </Badge>
);

/** « J-1 », « en retard de 2 j ouvrés », « Délai suspendu »; nothing when no clock runs. */
export function ThreadDeadlineBadge({ deadline }: { deadline: DeadlineView }) {
  const short = deadlineShortLabel(deadline);
  if (!short) return null;
  const spoken = deadlineSpokenLabel(deadline);
  return (
    <Badge small noIcon severity={deadlineSeverity(deadline)}>
      <span aria-hidden="true">{short}</span>
      <span className="fr-sr-only">Délai : {spoken}</span>
    </Badge>
  );
}
