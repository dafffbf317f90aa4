import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useSignOut } from '../../session/useSignOut.ts';

export function SignOutButton() {
  const signOut = useSignOut();
  return (
    <Button priority="secondary" iconId="fr-icon-logout-box-r-line" onClick={() => void signOut()}>
      Se déconnecter
    </Button>
  );
}
