import { telHref } from '../partners/queries.ts';

/** A referent's or an organisation's ways of contact, as links the browser can act on (mailto:, tel:). */
export function ContactLinks({ phone, email, website }: { phone?: string | null; email?: string | null; website?: string | null }) {
  if (!phone && !email && !website) return <p className="fr-text--sm fr-mb-0">Pas de coordonnées renseignées.</p>;
  return (
    <ul className="fr-raw-list">
      {phone && (
        <li>
          <span className="fr-icon-phone-line fr-icon--sm" aria-hidden="true" /> <a href={telHref(phone)}>{phone}</a>
        </li>
      )}
      {email && (
        <li>
          <span className="fr-icon-mail-line fr-icon--sm" aria-hidden="true" /> <a href={`mailto:${email}`}>{email}</a>
        </li>
      )}
      {website && (
        <li>
          <a href={website} target="_blank" rel="noopener noreferrer" title={`${website} - nouvelle fenêtre`}>
            {website.replace(/^https?:\/\//, '')}
          </a>
        </li>
      )}
    </ul>
  );
}
