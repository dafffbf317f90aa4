import type { Me } from '../../contracts/accounts.ts';
import type { WorkContext } from './session.ts';

export type ActingRole = 'agent' | 'referent' | 'manager' | 'coordinator' | 'admin';

export const actingRoleOf = (context: WorkContext): ActingRole => (context.kind === 'admin' ? 'admin' : context.membership.role);

export interface NavItem {
  text: string;
  to: string;
}

/** The pages each role works with; the API enforces the same rules, this only hides what would be refused. */
export const pageRoles = {
  '/': ['agent', 'referent', 'manager', 'coordinator', 'admin'],
  // Logging visits (accueils): the agents of a contact point.
  '/nouvel-accueil': ['agent'],
  '/mes-accueils': ['agent'],
  '/reseau': ['agent', 'referent', 'manager', 'coordinator'],
  '/membres': ['agent', 'referent', 'manager', 'coordinator'],
  '/journal': ['coordinator'],
  '/jetons': ['manager', 'coordinator'],
  '/compte': ['agent', 'referent', 'manager', 'coordinator', 'admin'],
  '/reseau/lieux': ['agent', 'referent', 'manager', 'coordinator'],
  // A contact point's survey posters (counter, bus stops): its agents and the coordinators (the API checks which place).
  '/reseau/lieux/questionnaire': ['agent', 'coordinator'],
  '/reseau/import': ['coordinator'],
  '/referents': ['agent', 'referent', 'manager', 'coordinator'],
  '/reseau/partenaires': ['agent', 'referent', 'manager', 'coordinator'],
  // A partner's webhooks: its managers and the territory's coordinators.
  '/reseau/partenaires/webhooks': ['manager', 'coordinator'],
  '/reseau/bus': ['agent', 'referent', 'manager', 'coordinator'],
  // Person files: the agents of the contact points that hold them and the territory's coordinators.
  '/usagers': ['agent', 'coordinator'],
  // The SMS outbox, only when no SMS provider is configured (navigationFor's smsOutbox).
  '/boite-sms': ['agent', 'coordinator'],
  // Requests (saisines) sent by the contact points: written by their agents, followed by the coordinators too.
  '/saisines': ['agent', 'coordinator'],
  '/saisines/nouvelle': ['agent'],
  // The mail outbox, only when no SMTP server is configured (navigationFor's mailOutbox): everyone's own emails.
  '/boite-mail': ['agent', 'referent', 'manager', 'coordinator', 'admin'],
  // Requests (saisines): a partner organisation's inbox and its settings; the thread, for both sides.
  '/organisations/saisines': ['referent', 'manager', 'coordinator'],
  '/organisations/saisines/parametres': ['manager', 'coordinator'],
  '/saisines/:requestId': ['agent', 'referent', 'manager', 'coordinator'],
  // The knowledge base (fiches): read by everyone of the territory; the API decides who writes, proposes and reviews.
  '/fiches': ['agent', 'referent', 'manager', 'coordinator'],
  '/fiches/import': ['coordinator'],
  // The observatory: the figures of each role's scope (territory, contact points, partner); the yearly key figures for coordinators.
  '/observatoire': ['agent', 'referent', 'manager', 'coordinator'],
  '/observatoire/chiffres-cles': ['coordinator'],
} satisfies Record<string, ActingRole[]>;

const labels: Partial<Record<keyof typeof pageRoles, string>> = {
  '/': 'Accueil',
  '/nouvel-accueil': 'Nouvel accueil',
  '/mes-accueils': 'Mes accueils',
  '/reseau': 'Réseau',
  '/usagers': 'Usagers',
  '/saisines': 'Saisines',
  '/fiches': 'Fiches',
  '/observatoire': 'Observatoire',
  '/referents': 'Référents',
  '/membres': 'Membres',
  '/journal': 'Journal de sécurité',
  '/jetons': 'Jetons d’API',
  '/boite-sms': 'Boîte d’envoi SMS',
  '/boite-mail': 'Courriels',
  '/compte': 'Mon compte',
};

/**
 * The navigation of a role; the SMS and mail outboxes only when no SMS provider / SMTP server is
 * configured; the inbox of their organisation's requests (`inboxPath`) for partner referents and
 * managers, after the home.
 */
export function navigationFor(
  role: ActingRole,
  options: { smsOutbox?: boolean; mailOutbox?: boolean; inboxPath?: string | null } = {},
): NavItem[] {
  const items: NavItem[] = (Object.keys(labels) as (keyof typeof pageRoles)[])
    .filter((path) => (pageRoles[path] as ActingRole[]).includes(role))
    .filter((path) => path !== '/boite-sms' || options.smsOutbox)
    .filter((path) => path !== '/boite-mail' || options.mailOutbox)
    .map((to) => ({ to, text: labels[to] ?? to }));
  if (options.inboxPath && (role === 'referent' || role === 'manager'))
    items.splice(1, 0, { to: options.inboxPath, text: 'Boîte de réception' });
  return items;
}

export interface Session {
  me: Me;
  context: WorkContext;
  role: ActingRole;
  /** The territory of the current context (null for the platform administration). */
  territoryId: string | null;
}
