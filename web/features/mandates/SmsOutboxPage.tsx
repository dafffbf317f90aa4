import { Table } from '@codegouvfr/react-dsfr/Table.js';
import { formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { useSmsOutbox } from './queries.ts';

const PURPOSES: Record<string, string> = { mandate_consent: 'Code de consentement à un mandat' };

/** Without an SMS provider (embedded mode), what would have been sent: the agent reads the code to the person. */
export function SmsOutboxPage() {
  const territoryId = useTerritoryId();
  const outbox = useSmsOutbox(territoryId);
  return (
    <>
      <PageTitle>Boîte d’envoi SMS</PageTitle>
      <p>
        Aucun prestataire d’envoi de SMS n’est configuré (variable <code>SMS_PROVIDER_URL</code>) : les messages ne partent pas, ils sont
        gardés ici. Les numéros sont masqués sauf leurs derniers chiffres.
      </p>
      <QueryState query={outbox}>
        {({ items }) =>
          items.length === 0 ? (
            <p>Aucun message pour l’instant.</p>
          ) : (
            <Table
              caption="Messages qui auraient été envoyés, du plus récent au plus ancien"
              headers={['Date', 'Destinataire', 'Objet', 'Message']}
              data={items.map((m) => [formatDateTime(m.createdAt), m.to, PURPOSES[m.purpose] ?? m.purpose, m.body])}
            />
          )
        }
      </QueryState>
    </>
  );
}
