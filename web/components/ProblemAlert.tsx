import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { ApiError } from '../api/client.ts';

const TITLES: Record<number, string> = {
  0: 'Serveur injoignable',
  400: 'Certaines informations sont à corriger',
  401: 'Connexion impossible',
  403: 'Action non autorisée',
  404: 'Introuvable',
  409: 'Conflit',
  423: 'Compte verrouillé',
  429: 'Trop de tentatives',
};

/** An API problem (or any error) as a DSFR alert, announced to screen readers. */
export function ProblemAlert({ error, title, className }: { error: unknown; title?: string; className?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error : null;
  const message = problem?.detail ?? 'Une erreur inattendue est survenue. Réessayez plus tard.';
  return (
    <Alert
      className={className ?? 'fr-mb-3w'}
      severity="error"
      role="alert"
      title={title ?? TITLES[problem?.status ?? 500] ?? 'Une erreur est survenue'}
      description={message}
    />
  );
}
