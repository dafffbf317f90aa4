import { type DeadlineLevel, DeadlineLevelLabels, type DeadlineView, type RequestStatus } from '../../../contracts/requests.ts';

export type Severity = 'success' | 'info' | 'warning' | 'error' | 'new' | undefined;

export interface DeadlineText {
  /** What the badge shows: « J-2 », « en retard de 1 j », « Délai suspendu ». */
  short: string;
  /** The same in words for screen readers and the tooltip. */
  long: string;
  severity: Severity;
}

const levelSeverity: Record<DeadlineLevel, Severity> = {
  aucune: undefined,
  dans_les_temps: 'success',
  a_mi_parcours: 'info',
  bientot: 'warning',
  depassee: 'error',
};

const days = (n: number) => (n === 1 ? '1 jour ouvré' : `${n} jours ouvrés`);

/** The deadline of a request in a few characters and in a sentence; null when no clock runs and none is paused. */
export function deadlineText(deadline: DeadlineView): DeadlineText | null {
  if (deadline.paused) return { short: 'Délai suspendu', long: 'Délai suspendu : en attente d’informations', severity: undefined };
  if (!deadline.running || deadline.level === 'aucune') return null;
  const left = deadline.workingDaysLeft === null ? null : Math.floor(deadline.workingDaysLeft);
  const severity = levelSeverity[deadline.level];
  const label = DeadlineLevelLabels[deadline.level];
  if (left === null) return { short: label, long: label, severity };
  if (left < 0 || deadline.level === 'depassee') {
    const late = Math.max(1, -left);
    return { short: `en retard de ${late} j`, long: `${label} : en retard de ${days(late)}`, severity: 'error' };
  }
  if (left === 0) return { short: 'J-0', long: `${label} : réponse attendue aujourd’hui`, severity };
  return { short: `J-${left}`, long: `${label} : ${days(left)} restant${left > 1 ? 's' : ''}`, severity };
}

const statusSeverity: Record<RequestStatus, Severity> = {
  envoyee: 'new',
  en_cours: 'info',
  attente_infos: 'warning',
  repondue: 'success',
  cloturee: undefined,
  archivee: undefined,
};

export const statusSeverityOf = (status: RequestStatus): Severity => statusSeverity[status];
