import { ApiError } from '../../api/client.ts';

/** Messages for the sign-in problems, by stable code (the API's own detail is used for the others). */
export const signInMessages: Record<string, { title: string; description: string }> = {
  INVALID_CREDENTIALS: {
    title: 'Identifiants incorrects',
    description: 'L’adresse e-mail ou le mot de passe est incorrect. Vérifiez-les, ou utilisez « Mot de passe oublié ? ».',
  },
  SIGN_IN_THROTTLED: {
    title: 'Trop de tentatives',
    description: 'Par sécurité, patientez quelques instants avant de réessayer.',
  },
  ACCOUNT_LOCKED: {
    title: 'Compte verrouillé',
    description:
      'Votre compte est verrouillé temporairement après plusieurs tentatives échouées. Réessayez plus tard ou réinitialisez votre mot de passe.',
  },
  ACCOUNT_DEACTIVATED: {
    title: 'Compte désactivé',
    description:
      'Votre compte est désactivé (plus de 6 mois sans connexion ou à la demande de votre coordination). Demandez sa réactivation à la coordination de votre territoire.',
  },
  OIDC_STATE_INVALID: {
    title: 'Connexion interrompue',
    description: 'La demande de connexion a expiré ou a déjà été utilisée. Recommencez la connexion.',
  },
  OIDC_PROVIDER_ERROR: {
    title: 'Connexion refusée par le fournisseur d’identité',
    description: 'Le fournisseur d’identité n’a pas validé la connexion. Réessayez, ou connectez-vous avec votre mot de passe.',
  },
  OIDC_EMAIL_UNVERIFIED: {
    title: 'Adresse e-mail non vérifiée',
    description: 'Le fournisseur d’identité n’atteste pas votre adresse e-mail. Vérifiez-la auprès de lui, puis réessayez.',
  },
  OIDC_EXCHANGE_FAILED: {
    title: 'Connexion impossible',
    description: 'L’échange avec le fournisseur d’identité a échoué. Réessayez dans quelques instants.',
  },
  OIDC_UNKNOWN_ACCOUNT: {
    title: 'Compte inconnu',
    description:
      'Aucun compte Relais ne correspond à cette identité. Demandez une invitation à la coordination de votre territoire, avec la même adresse e-mail.',
  },
};

/** The title and text to show for a sign-in problem: our message for known codes, the API's detail otherwise. */
export function describeSignInProblem(error: unknown): { title: string; description: string } {
  if (error instanceof ApiError) {
    const known = signInMessages[error.code];
    // Throttling and lockout details say how long to wait: keep the API's precise text.
    if (known && (error.code === 'SIGN_IN_THROTTLED' || error.code === 'ACCOUNT_LOCKED')) return { ...known, description: error.detail };
    if (known) return known;
    return { title: 'Connexion impossible', description: error.detail };
  }
  return { title: 'Connexion impossible', description: 'Une erreur inattendue est survenue. Réessayez plus tard.' };
}

/** A path of this site to return to after signing in (never another site). */
export function safeReturnPath(value: string | null): string {
  if (!value || !/^\/(?!\/)[^\s\\]*$/.test(value) || value.startsWith('/connexion')) return '/';
  return value;
}
