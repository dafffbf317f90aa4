import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import type { DeadlineView, RequestStatus } from '../../../contracts/requests.ts';
import { deadlineText, statusSeverityOf } from './deadline-text.ts';
import { AgentStatusLabels } from './queries.ts';

/** A request's status as a DSFR badge, in the words of the caller's side (`label` from the API). */
export function RequestStatusBadge({ status, label, className }: { status: RequestStatus; label?: string; className?: string }) {
  const severity = statusSeverityOf(status);
  return (
    <Badge small noIcon severity={severity} className={className}>
      {label ?? AgentStatusLabels[status]}
    </Badge>
  );
}

/**
 * The answer deadline: « J-2 » or « en retard de 1 j », coloured by level, with the whole sentence
 * for screen readers; « Pas de délai en cours » (or nothing with `hideWhenNone`) when no clock runs.
 */
export function DeadlineBadge({
  deadline,
  hideWhenNone,
  className,
}: {
  deadline: DeadlineView;
  hideWhenNone?: boolean;
  className?: string;
}) {
  const text = deadlineText(deadline);
  if (!text) return hideWhenNone ? null : <span className={`fr-text--sm ${className ?? ''}`}>Pas de délai en cours</span>;
  return (
    <Badge small noIcon severity={text.severity} className={className}>
      <span aria-hidden="true" title={text.long}>
        {text.short}
      </span>
      <span className="fr-sr-only">{text.long}</span>
    </Badge>
  );
}

/** The « something new » dot of a row, with its text for screen readers. */
export function UnreadDot() {
  return (
    <span className="relais-unread" title="Nouveautés depuis votre dernière lecture">
      <span className="relais-unread__dot" aria-hidden="true" />
      <span className="fr-sr-only">Nouveautés non lues</span>
    </span>
  );
}
