import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useMailOutbox } from './queries.ts';

/** The email's text with its http(s) addresses as links (React escapes the rest). */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** Without an SMTP server (embedded mode), the emails Relais would have sent: one's own, a coordinator's territories. */
export function MailOutboxPage() {
  const outbox = useMailOutbox();
  return (
    <>
      <PageTitle>Boîte d’envoi des courriels</PageTitle>
      <p>
        Aucun serveur d’envoi de courriels n’est configuré (variable <code>SMTP_URL</code>) : les courriels ne partent pas, ils sont gardés
        ici. Vous voyez ceux qui vous sont adressés ; un coordinateur voit aussi ceux de son territoire, avec les liens à usage unique
        masqués. Chaque consultation est inscrite au journal.
      </p>
      <QueryState query={outbox}>
        {({ items }) =>
          items.length === 0 ? (
            <p>Aucun courriel pour l’instant.</p>
          ) : (
            <ul className="fr-raw-list">
              {items.map((m) => (
                <li key={m.id} className="fr-mb-3w">
                  <article className="fr-card fr-card--no-arrow fr-p-3w" aria-labelledby={`courriel-${m.id}`}>
                    <h2 id={`courriel-${m.id}`} className="fr-h6 fr-mb-1w">
                      {m.subject}
                    </h2>
                    <p className="fr-text--sm fr-mb-1w">
                      À {m.to} — {formatDateTime(m.createdAt)}{' '}
                      {m.mine && (
                        <Badge small severity="info">
                          Pour vous
                        </Badge>
                      )}
                    </p>
                    <pre className="fr-text--sm fr-mb-0" style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>
                      <TextWithLinks text={m.body} />
                    </pre>
                  </article>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}
