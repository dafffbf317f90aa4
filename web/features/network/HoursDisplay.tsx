import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import type { HoursStatus, ScheduleDay } from '../../../contracts/network.ts';
import { WeekHoursTable } from '../../components/WeekHoursTable.tsx';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

const timeIn = (iso: string, timezone: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
const dayAndTimeIn = (iso: string, timezone: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** "Ouvert maintenant · jusqu’à 12:00", "Fermé · ouvre lundi 09:00", "Horaires non renseignés". */
export function hoursStatusText(status: HoursStatus, timezone: string): string {
  switch (status.state) {
    case 'open':
      return status.closesAt ? `Ouvert maintenant · jusqu’à ${timeIn(status.closesAt, timezone)}` : 'Ouvert maintenant';
    case 'appointment':
      return status.closesAt ? `Sur rendez-vous · jusqu’à ${timeIn(status.closesAt, timezone)}` : 'Sur rendez-vous maintenant';
    case 'closed':
      if (status.comment === 'lieu fermé') return 'Lieu fermé';
      return status.nextOpening ? `Fermé · ouvre ${dayAndTimeIn(status.nextOpening, timezone)}` : 'Fermé maintenant';
    default:
      return 'Horaires non renseignés';
  }
}

export function HoursStatusBadge({ status, timezone }: { status: HoursStatus; timezone: string }) {
  const severity =
    status.state === 'open' ? 'success' : status.state === 'appointment' ? 'info' : status.state === 'closed' ? 'warning' : undefined;
  return (
    <Badge small noIcon={!severity} severity={severity}>
      {hoursStatusText(status, timezone)}
    </Badge>
  );
}

const intervalText = (i: ScheduleDay['intervals'][number]) => {
  const range = `${i.start} – ${i.end}`;
  if (i.state === 'appointment') return `${range} sur rendez-vous`;
  if (i.comment) return `${range} (${i.comment})`;
  return range;
};

/** A week of opening hours as a table (one row per day). */
export function WeekSchedule({ week, caption }: { week: ScheduleDay[]; caption: string }) {
  return (
    <WeekHoursTable
      caption={caption}
      hideCaption
      rows={week.map((day, index) => ({
        date: day.date,
        weekday: WEEKDAYS[index]!,
        note: day.holiday,
        hours: day.intervals.length ? day.intervals.map(intervalText).join(', ') : 'Fermé',
      }))}
    />
  );
}
