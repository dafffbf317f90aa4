import type { OpenStatus } from '../../../contracts/finder.ts';

/** French wording of opening states and times for the public ("ouvre lundi à 9 h"). */

const parts = (iso: string, timeZone: string) => {
  const f = new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => f.find((p) => p.type === type)?.value ?? '';
  return { weekday: get('weekday'), day: get('day'), month: get('month'), hour: Number(get('hour')), minute: get('minute') };
};

const localDay = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(date);

/** "9 h", "13 h 30". */
export function frenchTime(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone);
  return p.minute === '00' ? `${p.hour} h` : `${p.hour} h ${p.minute}`;
}

/** "aujourd’hui à 14 h", "demain à 9 h", "lundi à 9 h", "le 12 avril à 9 h" (more than 6 days ahead). */
export function frenchMoment(iso: string, timeZone: string, now = new Date()): string {
  const at = new Date(iso);
  const days = Math.round((Date.parse(localDay(at, timeZone)) - Date.parse(localDay(now, timeZone))) / 86_400_000);
  const time = frenchTime(iso, timeZone);
  if (days <= 0) return `aujourd’hui à ${time}`;
  if (days === 1) return `demain à ${time}`;
  const p = parts(iso, timeZone);
  if (days < 7) return `${p.weekday} à ${time}`;
  return `le ${p.day} ${p.month} à ${time}`;
}

/** "Ouvert maintenant · jusqu’à 12 h", "Fermé — ouvre lundi à 9 h", "Horaires non renseignés". */
export function openText(open: OpenStatus, timeZone: string, now = new Date()): string {
  switch (open.state) {
    case 'open':
      return open.closesAt ? `Ouvert maintenant · jusqu’à ${frenchTime(open.closesAt, timeZone)}` : 'Ouvert maintenant';
    case 'appointment':
      return open.closesAt ? `Sur rendez-vous · jusqu’à ${frenchTime(open.closesAt, timeZone)}` : 'Sur rendez-vous';
    case 'closed':
      return open.nextOpening ? `Fermé — ouvre ${frenchMoment(open.nextOpening, timeZone, now)}` : 'Fermé';
    default:
      return 'Horaires non renseignés';
  }
}

export const openSeverity = (open: OpenStatus) =>
  open.state === 'open' ? 'success' : open.state === 'appointment' ? 'info' : open.state === 'closed' ? 'warning' : undefined;

/** "à 350 m", "à 1,2 km", "à 15 km". */
export function distanceText(km: number): string {
  if (km < 1) return `à ${Math.max(10, Math.round((km * 1000) / 10) * 10)} m`;
  if (km < 10) return `à ${km.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} km`;
  return `à ${Math.round(km).toLocaleString('fr-FR')} km`;
}

/** "jeudi 12 mars, de 9 h à 12 h". */
export function stopWhen(startsAt: string, endsAt: string, timeZone: string): string {
  const p = parts(startsAt, timeZone);
  return `${p.weekday} ${p.day} ${p.month}, de ${frenchTime(startsAt, timeZone)} à ${frenchTime(endsAt, timeZone)}`;
}
