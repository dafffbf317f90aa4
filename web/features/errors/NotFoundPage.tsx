import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { PageTitle } from '../../components/PageTitle.tsx';

export function NotFoundPage() {
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-8">
        <PageTitle>Page non trouvée</PageTitle>
        <p className="fr-text--sm fr-mb-3w">Erreur 404</p>
        <p className="fr-text--lead">La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
        <p>Si vous avez tapé l’adresse dans le navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible.</p>
        <Button linkProps={{ to: '/' }}>Revenir à l’accueil</Button>
      </div>
    </div>
  );
}
