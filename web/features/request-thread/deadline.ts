import type { DeadlineView, RequestStatus } from '../../../contracts/requests.ts';

const dueFormat = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: 'numeric',
  minute: 'numeric',
  timeZone: 'Europe/Paris',
});

/** « jeudi 3 décembre, 10 h » or « jeudi 3 décembre, 10 h 30 » (French time). */
export function formatDueDate(iso: string): string {
  const parts = Object.fromEntries(dueFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const minutes = parts.minute === '00' ? '' : ` ${parts.minute}`;
  return `${parts.weekday} ${parts.day} ${parts.month}, ${Number(parts.hour)} h${minutes}`;
}

/** The header's line about the deadline: due date, suspended, or nothing. */
export function deadlineSentence(deadline: DeadlineView, status: RequestStatus): string | null {
  if (deadline.paused || status === 'attente_infos') return 'Délai suspendu : en attente d’informations';
  if (!deadline.running || !deadline.dueAt) return null;
  const due = `Réponse attendue avant le ${formatDueDate(deadline.dueAt)}`;
  return deadline.level === 'depassee' ? `Délai dépassé : ${due[0]?.toLowerCase()}${due.slice(1)}` : due;
}

/** « 12 ko », « 1,4 Mo ». */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** « de Paul Durand », « d’Agathe Accueil » (elision before a vowel). */
export const ofName = (name: string) => (/^[aeiouyàâéèêëîïôœùû]/i.test(name) ? `d’${name}` : `de ${name}`);
