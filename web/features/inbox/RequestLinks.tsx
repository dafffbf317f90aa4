import { Link } from 'react-router';
import { useSession } from '../../session/SessionContext.tsx';
import { useCanEditRequestSettings } from './InboxPage.tsx';
import { inboxPath } from './InboxTile.tsx';

/** On a partner's page: its inbox of requests (its members, coordinators) and their settings (its managers, coordinators). */
export function RequestLinks({ organisationId }: { organisationId: string }) {
  const { context } = useSession();
  const canEdit = useCanEditRequestSettings(organisationId);
  const member =
    context.kind === 'membership' && (context.membership.role === 'coordinator' || context.membership.organisation?.id === organisationId);
  if (!member) return null;
  return (
    <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left fr-mb-2w">
      <li>
        <Link className="fr-btn fr-btn--secondary fr-btn--sm fr-icon-mail-line" to={inboxPath(organisationId)}>
          Boîte de réception des saisines
        </Link>
      </li>
      {canEdit && (
        <li>
          <Link className="fr-btn fr-btn--tertiary fr-btn--sm fr-icon-settings-5-line" to={`${inboxPath(organisationId)}/parametres`}>
            Paramètres des saisines
          </Link>
        </li>
      )}
    </ul>
  );
}
