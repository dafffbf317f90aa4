import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import type { NextStop } from '../../../contracts/network.ts';

const timeIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
const dateIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(iso));

/** "À l’arrêt à Bretoncelles · jusqu’à 12:00", "Prochain arrêt : mardi 17 mars à 09:30, Bretoncelles", "Aucun arrêt prévu". */
export function nextStopText(stop: NextStop | null, timeZone: string): string {
  if (!stop) return 'Aucun arrêt prévu';
  if (stop.current) return `À l’arrêt à ${stop.commune} · jusqu’à ${timeIn(stop.endsAt, timeZone)}`;
  return `Prochain arrêt : ${dateIn(stop.startsAt, timeZone)} à ${timeIn(stop.startsAt, timeZone)}, ${stop.commune}`;
}

/** What a bus or an antenna does now: where it stands, or where it stops next (its hours are its stops). */
export function NextStopBadge({ stop, timeZone }: { stop: NextStop | null; timeZone: string }) {
  return (
    <Badge small noIcon={!stop} severity={stop?.current ? 'success' : stop ? 'info' : undefined}>
      {nextStopText(stop, timeZone)}
    </Badge>
  );
}
