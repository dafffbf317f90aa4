import type { LabelCheck } from '../../../contracts/network.ts';

/** What the France Services label asks of a house (charte nationale France Services). */
export const MIN_WEEKLY_HOURS = 24;
export const MIN_AGENTS = 2;

export interface RequiredOperator {
  code: string;
  name: string;
}

export interface LabelCheckInput {
  /** Hours open in a typical week; null when the hours are unknown. */
  weeklyOpenHours: number | null;
  agentCount: number;
  /** National codes of the partners served at the place (CAF, CPAM, ...). */
  coveredOperatorCodes: readonly (string | null)[];
}

/** 31.5 → "31 h 30", 24 → "24 h". */
export function formatHours(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** The label checks of one France Services: each check with its French detail, and what is missing. */
export function checkLabel(input: LabelCheckInput, operators: readonly RequiredOperator[]): LabelCheck {
  const checks: LabelCheck['checks'] = [];
  const missing: string[] = [];

  const hours = input.weeklyOpenHours;
  if (hours === null) {
    checks.push({ code: 'weekly_hours', ok: false, label: 'Ouverture hebdomadaire', detail: 'horaires non renseignés' });
    missing.push(`horaires non renseignés : ${MIN_WEEKLY_HOURS} h d’ouverture par semaine au moins`);
  } else if (hours + 1e-9 >= MIN_WEEKLY_HOURS) {
    checks.push({
      code: 'weekly_hours',
      ok: true,
      label: 'Ouverture hebdomadaire',
      detail: `${formatHours(hours)} d’ouverture par semaine (${MIN_WEEKLY_HOURS} h au moins)`,
    });
  } else {
    checks.push({
      code: 'weekly_hours',
      ok: false,
      label: 'Ouverture hebdomadaire',
      detail: `${formatHours(hours)} d’ouverture par semaine : il en faut ${MIN_WEEKLY_HOURS} au moins`,
    });
    missing.push(`${formatHours(MIN_WEEKLY_HOURS - hours)} d’ouverture par semaine (${formatHours(hours)} sur ${MIN_WEEKLY_HOURS} h)`);
  }

  const agents = input.agentCount;
  if (agents >= MIN_AGENTS) {
    checks.push({
      code: 'agents',
      ok: true,
      label: 'Agents d’accueil',
      detail: `${plural(agents, 'agent', 'agents')} (${MIN_AGENTS} au moins)`,
    });
  } else {
    checks.push({
      code: 'agents',
      ok: false,
      label: 'Agents d’accueil',
      detail: `${plural(agents, 'agent', 'agents')} : il en faut ${MIN_AGENTS} au moins`,
    });
    missing.push(`${plural(MIN_AGENTS - agents, 'agent d’accueil', 'agents d’accueil')} (${agents} sur ${MIN_AGENTS})`);
  }

  const covered = new Set(input.coveredOperatorCodes.filter((c): c is string => !!c));
  const absent = operators.filter((o) => !covered.has(o.code));
  const present = operators.length - absent.length;
  if (!absent.length) {
    checks.push({
      code: 'operators',
      ok: true,
      label: 'Opérateurs nationaux',
      detail: `les ${operators.length} opérateurs nationaux sont présents`,
    });
  } else {
    checks.push({
      code: 'operators',
      ok: false,
      label: 'Opérateurs nationaux',
      detail: `${present} opérateurs nationaux sur ${operators.length} ; manquent : ${absent.map((o) => o.name).join(', ')}`,
    });
    for (const o of absent) missing.push(`opérateur non couvert : ${o.name}`);
  }

  return { ok: checks.every((c) => c.ok), checks, missing };
}
