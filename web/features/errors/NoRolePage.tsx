import { PageTitle } from '../../components/PageTitle.tsx';

/** A signed-in person without any membership (every role was withdrawn). */
export function NoRolePage() {
  return (
    <>
      <PageTitle>Aucun rôle actif</PageTitle>
      <p>Votre compte n’a plus de rôle dans un territoire. Demandez à la coordination de votre territoire de vous inviter à nouveau.</p>
    </>
  );
}
