import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { pendingLabel } from './queue.ts';
import type { useVisitQueue } from './useVisitQueue.ts';

/** How many visits wait in this browser, with a button to send them now, and those the server refused. */
export function PendingVisits({ queue }: { queue: ReturnType<typeof useVisitQueue> }) {
  const count = queue.pending.length;
  return (
    <>
      <div role="status" aria-live="polite" aria-atomic="true">
        {count > 0 && (
          <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w">
            <p>
              <strong>{pendingLabel(count)}</strong> : gardés dans ce navigateur, ils partent dès que le serveur répond (nouvel essai toutes
              les 30 secondes).
            </p>
            <Button size="small" priority="secondary" className="fr-mt-1w" onClick={() => void queue.sendNow()}>
              Réessayer maintenant
            </Button>
          </div>
        )}
      </div>
      {queue.rejected.length > 0 && (
        <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>
            {queue.rejected.length > 1
              ? `${queue.rejected.length} accueils en attente ont été refusés`
              : 'Un accueil en attente a été refusé'}{' '}
            par le serveur, saisissez-les à nouveau :
          </p>
          <ul>
            {queue.rejected.map((r) => (
              <li key={r.visit.key}>
                {new Date(r.visit.queuedAt).toLocaleString('fr-FR')} — {r.message}
              </li>
            ))}
          </ul>
          <Button size="small" priority="tertiary" onClick={queue.dismissRejected}>
            J’ai compris
          </Button>
        </div>
      )}
    </>
  );
}
