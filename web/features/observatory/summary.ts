import type { Breakdown, Period, RequestsDashboard, VisitsDashboard } from '../../../contracts/observatory.ts';
import { comparisonLabel, formatCount, formatGrowth, formatShare, formatWorkingDays, monthLabel, periodLabel } from './format.ts';

/**
 * The one- or two-sentence text of each chart, written from its data: the chart itself is hidden from
 * screen readers, this text and the table after it carry the information.
 */

/** « 1 accueil », « 12 340 accueils ». */
export const plural = (n: number, one: string, many: string = `${one}s`) => `${formatCount(n)} ${Math.abs(n) < 2 ? one : many}`;

/** « 12 340 accueils de janvier à décembre 2026, soit +18 % par rapport à 2025 (10 458). » */
export function totalSentence(count: number, previous: number | null, period: Period, one: string, many?: string): string {
  const head = `${plural(count, one, many)} ${periodLabel(period.from, period.to)}`;
  const against = comparisonLabel(period);
  if (!against || previous === null) return `${head}.`;
  if (previous === 0) return `${head}, contre aucun ${one} sur ${against}.`;
  const growth = (count - previous) / previous;
  return `${head}, soit ${formatGrowth(growth)} par rapport à ${against} (${formatCount(previous)}).`;
}

/** « En tête : Santé (21 %), puis Logement (15 %) et Emploi (10 %). » — the first three with a count. */
export function leadersSentence(rows: Pick<Breakdown, 'label' | 'count' | 'share'>[], empty = 'Aucune donnée sur la période.'): string {
  const top = [...rows]
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 3);
  if (top.length === 0) return empty;
  const item = (r: (typeof top)[number]) =>
    r.share === null ? `${r.label} (${formatCount(r.count)})` : `${r.label} (${formatShare(r.share)})`;
  const [first, ...rest] = top.map(item);
  if (rest.length === 0) return `En tête : ${first}.`;
  if (rest.length === 1) return `En tête : ${first}, puis ${rest[0]}.`;
  return `En tête : ${first}, puis ${rest[0]} et ${rest[1]}.`;
}

/** The partner most named, against its national share when it is one of the five national operators. */
export function partnersSentence(rows: VisitsDashboard['byPartner']): string {
  const named = rows.filter((r) => r.count > 0).sort((a, b) => b.count - a.count);
  const first = named[0];
  if (!first) return 'Aucun partenaire cité sur la période.';
  const national = first.nationalShare === null ? '' : ` (${formatShare(first.nationalShare)} au niveau national)`;
  const head = `${first.label} représente ${formatShare(first.share)} des partenaires cités${national}.`;
  const compared = named.filter((r) => r.nationalShare !== null && r !== first && r.share !== null);
  const gap = compared.sort(
    (a, b) => Math.abs((b.share ?? 0) - (b.nationalShare ?? 0)) - Math.abs((a.share ?? 0) - (a.nationalShare ?? 0)),
  )[0];
  if (!gap || gap.share === null || gap.nationalShare === null) return head;
  const way = gap.share > gap.nationalShare ? 'plus' : 'moins';
  return `${head} ${gap.label} y pèse ${way} qu’au niveau national (${formatShare(gap.share)} contre ${formatShare(gap.nationalShare)}).`;
}

/** « Le mois le plus chargé : mars 2026 (1 234 accueils). » after the period's total. */
export function monthsSentence(
  months: { month: string; count: number; previous: number | null }[],
  period: Period,
  one: string,
  many?: string,
): string {
  const total = months.reduce((n, m) => n + m.count, 0);
  const previous = months.some((m) => m.previous !== null) ? months.reduce((n, m) => n + (m.previous ?? 0), 0) : null;
  const head = totalSentence(total, previous, period, one, many);
  const busiest = [...months].sort((a, b) => b.count - a.count)[0];
  if (!busiest || busiest.count === 0) return head;
  return `${head} Le mois le plus chargé : ${monthLabel(busiest.month)} (${plural(busiest.count, one, many)}).`;
}

/** The requests' headline: sent, answered, within the deadline, median. */
export function requestsSentence(d: RequestsDashboard): string {
  const head = totalSentence(d.totals.sent, d.totals.previous, d.period, 'saisine envoyée', 'saisines envoyées');
  if (d.totals.answered === 0) return `${head} Aucune n’a encore reçu de réponse.`;
  return `${head} ${plural(d.totals.answered, 'a reçu une réponse', 'ont reçu une réponse')}, ${formatShare(d.totals.inTimeShare)} dans le délai ; délai médian : ${formatWorkingDays(d.totals.medianDays)}.`;
}

/** The deadline rows (by partner, theme or contact point): the one most often late. */
export function deadlinesSentence(rows: RequestsDashboard['byOrganisation']): string {
  const answered = rows.filter((r) => r.answered > 0 && r.inTimeShare !== null);
  if (answered.length === 0) return 'Aucune réponse sur la période : pas encore de délai à mesurer.';
  const worst = [...answered].sort((a, b) => (a.inTimeShare ?? 0) - (b.inTimeShare ?? 0))[0];
  const best = [...answered].sort((a, b) => (b.inTimeShare ?? 0) - (a.inTimeShare ?? 0))[0];
  if (!worst || !best || worst === best)
    return `${answered[0]?.label} : ${formatShare(answered[0]?.inTimeShare)} des réponses dans le délai.`;
  return `Réponses dans le délai : de ${formatShare(worst.inTimeShare)} (${worst.label}) à ${formatShare(best.inTimeShare)} (${best.label}).`;
}
