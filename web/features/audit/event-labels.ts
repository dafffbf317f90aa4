/** French labels of the audit event types (the API's stable codes). */
export const auditEventLabels: Record<string, string> = {
  'auth.sign_in': 'Connexion',
  'auth.sign_in_failed': 'Échec de connexion',
  'auth.locked_out': 'Compte verrouillé',
  'auth.sign_out': 'Déconnexion',
  'auth.session_revoked': 'Session fermée',
  'auth.password_changed': 'Mot de passe changé',
  'auth.password_reset_requested': 'Réinitialisation du mot de passe demandée',
  'auth.password_reset': 'Mot de passe réinitialisé',
  'auth.oidc_refused': 'Connexion ProConnect refusée',
  'user.invited': 'Invitation envoyée',
  'user.invitation_accepted': 'Invitation acceptée',
  'user.inactivity_warned': 'Avertissement d’inactivité',
  'user.deactivated_inactive': 'Compte désactivé pour inactivité',
  'user.reactivated': 'Compte réactivé',
  'membership.granted': 'Rôle attribué',
  'membership.revoked': 'Rôle retiré',
  'territory.created': 'Territoire créé',
  'contact_point.created': 'Lieu d’accueil créé',
  'contact_point.updated': 'Lieu d’accueil modifié',
  'organisation.created': 'Partenaire ajouté',
  'api_token.created': 'Jeton d’API créé',
  'api_token.used': 'Jeton d’API utilisé',
  'api_token.revoked': 'Jeton d’API révoqué',
};

export const labelOfEvent = (type: string) => auditEventLabels[type] ?? type;
