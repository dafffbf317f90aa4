import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { PageTitle } from '../../components/PageTitle.tsx';

/** Shown when the current role may not see a page, or when the API answers 403. */
export function ForbiddenPage() {
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-8">
        <PageTitle title="Accès refusé">Accès refusé</PageTitle>
        <p className="fr-text--sm fr-mb-3w">Erreur 403</p>
        <p className="fr-text--lead">Cette page n’est pas accessible avec votre rôle actuel.</p>
        <p>
          Si vous avez plusieurs rôles, changez d’espace de travail depuis l’en-tête. Sinon, demandez l’accès à la coordination de votre
          territoire.
        </p>
        <Button linkProps={{ to: '/' }}>Revenir à l’accueil</Button>
      </div>
    </div>
  );
}
