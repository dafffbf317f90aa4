import { PageTitle } from '../../components/PageTitle.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { describeContext, workContextsOf } from '../../session/session.ts';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { NotificationsForm } from './NotificationsForm.tsx';
import { SessionsTable } from './SessionsTable.tsx';
import { SignOutButton } from './SignOutButton.tsx';

export function AccountPage() {
  const { me } = useSession();
  return (
    <>
      <PageTitle>Mon compte</PageTitle>
      <section className="fr-mb-6w" aria-labelledby="titre-identite">
        <h2 id="titre-identite" className="fr-h4">
          Identité et rôles
        </h2>
        <p className="fr-mb-1w">
          <strong>{me.user.displayName}</strong> — {me.user.email}
        </p>
        <ul>
          {workContextsOf(me).map((context) => {
            const { role, place } = describeContext(context);
            return (
              <li key={context.key}>
                {role} — {place}
              </li>
            );
          })}
        </ul>
      </section>
      <section className="fr-mb-6w" aria-labelledby="titre-notifications">
        <h2 id="titre-notifications" className="fr-h4">
          Notifications par courriel
        </h2>
        <NotificationsForm />
      </section>
      <section className="fr-mb-6w" aria-labelledby="titre-sessions">
        <h2 id="titre-sessions" className="fr-h4">
          Sessions ouvertes
        </h2>
        <SessionsTable />
      </section>
      <section className="fr-mb-6w" aria-labelledby="titre-mot-de-passe">
        <h2 id="titre-mot-de-passe" className="fr-h4">
          Changer de mot de passe
        </h2>
        <ChangePasswordForm />
      </section>
      <section aria-labelledby="titre-deconnexion">
        <h2 id="titre-deconnexion" className="fr-h4">
          Déconnexion
        </h2>
        <SignOutButton />
      </section>
    </>
  );
}
