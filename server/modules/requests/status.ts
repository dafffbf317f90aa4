/**
 * The life of a request (saisine) as a state machine. Pure: the service loads the request, asks
 * `transition` whether the actor's side may do the action from the current status, and records
 * the resulting status with the event in the same transaction.
 *
 * Sides: `agent` is the contact point that sent it; `partner` is the addressed organisation (its
 * referents and managers) or an invited participant; `system` is the jobs and the coordinator.
 * Statuses, from the agent's point of view: envoyee (sent, nobody took it yet) → en_cours (a
 * referent works on it) ⇄ attente_infos (the partner asked for information: the clock is paused) →
 * repondue (answered; the agent may follow up) → cloturee (closed; the agent may reopen) →
 * archivee (retention job; final).
 */
import { RequestActions } from '../../../contracts/requests.ts';
import type { requestStatuses } from './requests.schema.ts';

export type RequestStatus = (typeof requestStatuses)[number];
export type Side = 'agent' | 'partner' | 'system';
/** The actions, as the API names them (contracts/requests.ts). */
export const requestActions = RequestActions;
export type RequestAction = (typeof requestActions)[number];

/** Does the request have a referent in charge. */
export interface TransitionContext {
  assigned: boolean;
}

/** Stable codes of a refused transition (the service turns them into AppErrors, 409 except the side one). */
export const transitionErrorCodes = {
  /** The action belongs to another side (an agent answering, a partner reopening): 403. */
  side: 'REQUEST_SIDE_FORBIDDEN',
  /** Taking in charge a request that already has a referent: a manager must assign it. */
  taken: 'REQUEST_ALREADY_TAKEN',
  closed: 'REQUEST_CLOSED',
  archived: 'REQUEST_ARCHIVED',
  /** Any other action the status does not allow. */
  forbidden: 'REQUEST_TRANSITION_FORBIDDEN',
} as const;

export type TransitionResult = { ok: true; to: RequestStatus } | { ok: false; code: string; message: string };

export const OPEN_STATUSES: readonly RequestStatus[] = ['envoyee', 'en_cours', 'attente_infos', 'repondue'];

const SIDES: Record<RequestAction, readonly Side[]> = {
  take: ['partner'],
  assign: ['partner'],
  partner_message: ['partner'],
  answer: ['partner'],
  ask_info: ['partner'],
  reroute: ['partner'],
  invite: ['partner'],
  note: ['partner'],
  agent_message: ['agent'],
  reopen: ['agent'],
  rate: ['agent'],
  close: ['agent', 'partner'],
  archive: ['system'],
};

/** What each action is, in a sentence that ends « Seul … peut … ». */
const DOING: Record<RequestAction, string> = {
  take: 'prendre en charge une saisine',
  assign: 'attribuer une saisine à un référent',
  partner_message: 'écrire au nom de l’organisme',
  answer: 'répondre à une saisine',
  ask_info: 'demander des informations complémentaires',
  reroute: 'réorienter une saisine vers un autre organisme',
  invite: 'inviter un autre participant',
  note: 'écrire une note interne',
  agent_message: 'apporter des informations ou relancer l’organisme',
  reopen: 'rouvrir une saisine',
  rate: 'évaluer la réponse',
  close: 'clôturer une saisine',
  archive: 'archiver une saisine',
};

const WHO: Record<string, string> = {
  partner: 'Seul l’organisme destinataire peut',
  agent: 'Seul le point de contact à l’origine de la saisine peut',
  'agent,partner': 'Seuls le point de contact et l’organisme destinataire peuvent',
  system: 'Le système seul peut (c’est automatique)',
};

type Rule = RequestStatus | 'same' | 'resume' | 'take';
/**
 * Allowed actions per status (the side is checked first, from SIDES). `same` keeps the status;
 * `resume` goes back to en_cours when a referent is in charge, else to envoyee (the clock resumes);
 * `take` is refused when a referent is already in charge.
 */
const RULES: Record<RequestStatus, Partial<Record<RequestAction, Rule>>> = {
  envoyee: {
    take: 'take',
    assign: 'en_cours',
    partner_message: 'en_cours',
    answer: 'repondue',
    ask_info: 'attente_infos',
    reroute: 'envoyee',
    invite: 'same',
    note: 'same',
    agent_message: 'same',
    close: 'cloturee',
  },
  en_cours: {
    take: 'take',
    assign: 'en_cours',
    partner_message: 'en_cours',
    answer: 'repondue',
    ask_info: 'attente_infos',
    reroute: 'envoyee',
    invite: 'same',
    note: 'same',
    agent_message: 'same',
    close: 'cloturee',
  },
  attente_infos: {
    // Taking or re-assigning does not end the wait: the information is still expected.
    take: 'take',
    assign: 'same',
    agent_message: 'resume',
    answer: 'repondue',
    partner_message: 'same',
    ask_info: 'attente_infos',
    invite: 'same',
    note: 'same',
    close: 'cloturee',
  },
  repondue: {
    take: 'take',
    assign: 'same',
    agent_message: 'resume',
    answer: 'repondue',
    partner_message: 'repondue',
    invite: 'same',
    note: 'same',
    rate: 'same',
    close: 'cloturee',
  },
  cloturee: {
    reopen: 'resume',
    rate: 'same',
    archive: 'archivee',
  },
  archivee: {},
};

function refuse(code: string, message: string): TransitionResult {
  return { ok: false, code, message };
}

/** Why an action the status does not allow is refused, in words the actor can act upon. */
function statusRefusal(from: RequestStatus, action: RequestAction, side: Side): TransitionResult {
  const { closed, forbidden } = transitionErrorCodes;
  if (from === 'cloturee') {
    if (action === 'close') return refuse(closed, 'Cette saisine est déjà clôturée.');
    return side === 'agent'
      ? refuse(closed, 'Cette saisine est clôturée : rouvrez-la pour écrire.')
      : refuse(closed, 'Cette saisine est clôturée : seul le point de contact peut la rouvrir.');
  }
  switch (action) {
    case 'reopen':
      return refuse(forbidden, 'Cette saisine n’est pas clôturée : il n’y a rien à rouvrir.');
    case 'rate':
      return refuse(forbidden, 'Vous pourrez évaluer la réponse une fois qu’elle aura été donnée.');
    case 'archive':
      return refuse(forbidden, 'Seule une saisine clôturée peut être archivée.');
    case 'reroute':
      return refuse(
        forbidden,
        from === 'repondue'
          ? 'L’organisme a déjà répondu : cette saisine ne peut plus être réorientée.'
          : 'Une saisine en attente d’informations ne peut pas être réorientée : attendez les informations ou répondez.',
      );
    case 'ask_info':
      return refuse(forbidden, 'L’organisme a déjà répondu : écrivez un message plutôt que de demander des informations.');
    default:
      return refuse(forbidden, 'Cette action n’est pas possible dans l’état actuel de la saisine.');
  }
}

/** The status after `side` does `action` on a request in status `from`, or why it may not. */
export function transition(from: RequestStatus, action: RequestAction, side: Side, ctx: TransitionContext): TransitionResult {
  if (from === 'archivee') {
    return refuse(transitionErrorCodes.archived, 'Cette saisine est archivée : elle ne peut plus être modifiée.');
  }
  const sides = SIDES[action];
  if (!sides.includes(side)) {
    return refuse(transitionErrorCodes.side, `${WHO[sides.join(',')]} ${DOING[action]}.`);
  }
  const rule = RULES[from][action];
  if (rule === undefined) return statusRefusal(from, action, side);
  switch (rule) {
    case 'same':
      return { ok: true, to: from };
    case 'resume':
      return { ok: true, to: ctx.assigned ? 'en_cours' : 'envoyee' };
    case 'take':
      if (ctx.assigned) {
        return refuse(
          transitionErrorCodes.taken,
          'Cette saisine est déjà prise en charge par un référent : demandez à un responsable de vous l’attribuer.',
        );
      }
      return { ok: true, to: from === 'envoyee' ? 'en_cours' : from };
    default:
      return { ok: true, to: rule };
  }
}

/** The actions `side` may do now (to show only the buttons that work). */
export function allowedActions(from: RequestStatus, side: Side, ctx: TransitionContext): RequestAction[] {
  return requestActions.filter((action) => transition(from, action, side, ctx).ok);
}

export type Audience = 'agent' | 'partner' | 'public';

const LABELS: Record<Audience, Record<RequestStatus, string>> = {
  agent: {
    envoyee: 'Envoyée',
    en_cours: 'En cours de traitement',
    attente_infos: 'Informations demandées',
    repondue: 'Répondue',
    cloturee: 'Clôturée',
    archivee: 'Archivée',
  },
  partner: {
    envoyee: 'Nouvelle',
    en_cours: 'En cours',
    attente_infos: 'En attente d’informations',
    repondue: 'Répondue',
    cloturee: 'Clôturée',
    archivee: 'Archivée',
  },
  public: {
    envoyee: 'Transmise à l’organisme',
    en_cours: 'En cours de traitement par l’organisme',
    attente_infos: 'Informations complémentaires demandées',
    repondue: 'Réponse reçue',
    cloturee: 'Terminée',
    archivee: 'Terminée',
  },
};

function within(days: number | undefined): string {
  if (days === undefined) return '';
  return ` sous ${days} jour${days > 1 ? 's' : ''} ouvré${days > 1 ? 's' : ''}`;
}

function nextStep(status: RequestStatus, audience: Audience, days: number | undefined): string {
  const delay = within(days);
  switch (`${audience}:${status}`) {
    case 'agent:envoyee':
      return `L’organisme doit prendre en charge la saisine et répondre${delay || ' dans le délai prévu'}.`;
    case 'agent:en_cours':
      return `Un référent de l’organisme traite la saisine et doit répondre${delay || ' dans le délai prévu'}.`;
    case 'agent:attente_infos':
      return 'L’organisme attend des informations de votre part : le délai est suspendu jusqu’à votre réponse.';
    case 'agent:repondue':
      return 'Transmettez la réponse à la personne, puis clôturez la saisine ou posez une question complémentaire.';
    case 'agent:cloturee':
      return 'Rien à faire. Vous pouvez rouvrir la saisine si la situation de la personne l’exige.';
    case 'partner:envoyee':
      return `Prenez en charge la saisine et répondez${delay || ' dans le délai prévu'}.`;
    case 'partner:en_cours':
      return `Répondez${delay || ' dans le délai prévu'} ou demandez des informations complémentaires.`;
    case 'partner:attente_infos':
      return 'Le point de contact doit vous apporter les informations demandées : le délai est suspendu.';
    case 'partner:repondue':
      return 'Rien à faire, sauf si le point de contact pose une question complémentaire.';
    case 'partner:cloturee':
      return 'Rien à faire : la saisine est clôturée.';
    case 'public:envoyee':
      return days === undefined ? 'L’organisme va étudier votre demande.' : `L’organisme doit répondre${delay}.`;
    case 'public:en_cours':
      return `L’organisme étudie votre demande${days === undefined ? '' : ` et doit répondre${delay}`}.`;
    case 'public:attente_infos':
      return 'L’organisme a besoin d’informations complémentaires : reprenez contact avec votre lieu d’accueil.';
    case 'public:repondue':
      return 'L’organisme a répondu : votre lieu d’accueil vous transmet sa réponse.';
    case 'public:cloturee':
      return 'Votre demande a été traitée.';
    default: // archivee, every audience
      return audience === 'public' ? 'Votre demande a été traitée.' : 'Rien à faire : la saisine est archivée.';
  }
}

/** Plain-French label and next step of a status for an audience; `days` is the answer deadline to quote. */
export function statusLabel(
  status: RequestStatus,
  audience: Audience,
  options: { days?: number } = {},
): { label: string; nextStep: string } {
  return { label: LABELS[audience][status], nextStep: nextStep(status, audience, options.days) };
}
