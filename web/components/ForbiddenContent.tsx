import { Alert } from '@codegouvfr/react-dsfr/Alert.js';

/** The access-denied message, inside a page (the API answered 403). */
export const ForbiddenContent = () => (
  <Alert
    className="fr-mb-3w"
    severity="warning"
    title="Accès refusé"
    description="Votre rôle actuel ne vous permet pas de voir ces informations. Changez d’espace de travail ou demandez l’accès à la coordination du territoire."
  />
);
