import { describe, expect, it } from 'vitest';
import { requestStatuses } from './requests.schema.ts';
import {
  allowedActions,
  OPEN_STATUSES,
  type RequestAction,
  type RequestStatus,
  requestActions,
  type Side,
  statusLabel,
  transition,
} from './status.ts';

/**
 * THE SPEC: every status × action, one column per side. A cell is the status reached, or the code
 * of the refusal (side = REQUEST_SIDE_FORBIDDEN, taken = REQUEST_ALREADY_TAKEN, closed =
 * REQUEST_CLOSED, archived = REQUEST_ARCHIVED, forbidden = REQUEST_TRANSITION_FORBIDDEN);
 * "x/y" is x without a referent in charge, y with one.
 */
const TABLE = `
status         action            agent                  partner                      system
envoyee        take              side                   en_cours/taken               side
envoyee        assign            side                   en_cours                     side
envoyee        partner_message   side                   en_cours                     side
envoyee        answer            side                   repondue                     side
envoyee        ask_info          side                   attente_infos                side
envoyee        agent_message     envoyee                side                         side
envoyee        reroute           side                   envoyee                      side
envoyee        invite            side                   envoyee                      side
envoyee        note              side                   envoyee                      side
envoyee        close             cloturee               cloturee                     side
envoyee        reopen            forbidden              side                         side
envoyee        archive           side                   side                         forbidden
envoyee        rate              forbidden              side                         side
en_cours       take              side                   en_cours/taken               side
en_cours       assign            side                   en_cours                     side
en_cours       partner_message   side                   en_cours                     side
en_cours       answer            side                   repondue                     side
en_cours       ask_info          side                   attente_infos                side
en_cours       agent_message     en_cours               side                         side
en_cours       reroute           side                   envoyee                      side
en_cours       invite            side                   en_cours                     side
en_cours       note              side                   en_cours                     side
en_cours       close             cloturee               cloturee                     side
en_cours       reopen            forbidden              side                         side
en_cours       archive           side                   side                         forbidden
en_cours       rate              forbidden              side                         side
attente_infos  take              side                   attente_infos/taken          side
attente_infos  assign            side                   attente_infos                side
attente_infos  partner_message   side                   attente_infos                side
attente_infos  answer            side                   repondue                     side
attente_infos  ask_info          side                   attente_infos                side
attente_infos  agent_message     envoyee/en_cours       side                         side
attente_infos  reroute           side                   forbidden                    side
attente_infos  invite            side                   attente_infos                side
attente_infos  note              side                   attente_infos                side
attente_infos  close             cloturee               cloturee                     side
attente_infos  reopen            forbidden              side                         side
attente_infos  archive           side                   side                         forbidden
attente_infos  rate              forbidden              side                         side
repondue       take              side                   repondue/taken               side
repondue       assign            side                   repondue                     side
repondue       partner_message   side                   repondue                     side
repondue       answer            side                   repondue                     side
repondue       ask_info          side                   forbidden                    side
repondue       agent_message     envoyee/en_cours       side                         side
repondue       reroute           side                   forbidden                    side
repondue       invite            side                   repondue                     side
repondue       note              side                   repondue                     side
repondue       close             cloturee               cloturee                     side
repondue       reopen            forbidden              side                         side
repondue       archive           side                   side                         forbidden
repondue       rate              repondue               side                         side
cloturee       take              side                   closed                       side
cloturee       assign            side                   closed                       side
cloturee       partner_message   side                   closed                       side
cloturee       answer            side                   closed                       side
cloturee       ask_info          side                   closed                       side
cloturee       agent_message     closed                 side                         side
cloturee       reroute           side                   closed                       side
cloturee       invite            side                   closed                       side
cloturee       note              side                   closed                       side
cloturee       close             closed                 closed                       side
cloturee       reopen            envoyee/en_cours       side                         side
cloturee       archive           side                   side                         archivee
cloturee       rate              cloturee               side                         side
archivee       take              archived               archived                     archived
archivee       assign            archived               archived                     archived
archivee       partner_message   archived               archived                     archived
archivee       answer            archived               archived                     archived
archivee       ask_info          archived               archived                     archived
archivee       agent_message     archived               archived                     archived
archivee       reroute           archived               archived                     archived
archivee       invite            archived               archived                     archived
archivee       note              archived               archived                     archived
archivee       close             archived               archived                     archived
archivee       reopen            archived               archived                     archived
archivee       archive           archived               archived                     archived
archivee       rate              archived               archived                     archived
`;

const CODES: Record<string, string> = {
  side: 'REQUEST_SIDE_FORBIDDEN',
  taken: 'REQUEST_ALREADY_TAKEN',
  closed: 'REQUEST_CLOSED',
  archived: 'REQUEST_ARCHIVED',
  forbidden: 'REQUEST_TRANSITION_FORBIDDEN',
};
const sides: Side[] = ['agent', 'partner', 'system'];
const statuses = requestStatuses as readonly RequestStatus[];

interface Case {
  from: RequestStatus;
  action: RequestAction;
  side: Side;
  assigned: boolean;
  expected: string;
}

function parseTable(): Case[] {
  const [, ...rows] = TABLE.trim().split('\n');
  return rows.flatMap((row) => {
    const [from, action, ...cells] = row.trim().split(/\s+/) as [RequestStatus, RequestAction, ...string[]];
    return sides.flatMap((side, i) => {
      const cell = cells[i] as string;
      const [unassigned, assigned = unassigned] = cell.split('/') as [string, string?];
      return [
        { from, action, side, assigned: false, expected: unassigned },
        { from, action, side, assigned: true, expected: assigned },
      ];
    });
  });
}

const cases = parseTable();

describe('request status transitions', () => {
  it('has exactly one row in the table for every status and action', () => {
    const keys = cases.map((c) => `${c.from}|${c.action}|${c.side}|${c.assigned}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(statuses.length * requestActions.length * sides.length * 2);
    for (const c of cases) {
      expect(statuses).toContain(c.from);
      expect(requestActions).toContain(c.action);
      expect([...statuses, ...Object.keys(CODES)]).toContain(c.expected);
    }
  });

  it.each(cases)('$from + $action by $side (assigned: $assigned) → $expected', ({ from, action, side, assigned, expected }) => {
    const result = transition(from, action, side, { assigned });
    if (expected in CODES) {
      expect(result).toMatchObject({ ok: false, code: CODES[expected] });
      if (!result.ok) expect(result.message).toMatch(/^[A-ZÀ-Ý].+\.$/);
    } else {
      expect(result).toEqual({ ok: true, to: expected });
    }
  });

  it('lists as allowed exactly the actions the transition accepts', () => {
    for (const c of cases) {
      const allowed = allowedActions(c.from, c.side, { assigned: c.assigned });
      expect(allowed.includes(c.action)).toBe(!(c.expected in CODES));
    }
  });

  it('explains refusals in French the actor can act upon', () => {
    expect(transition('cloturee', 'agent_message', 'agent', { assigned: true })).toEqual({
      ok: false,
      code: 'REQUEST_CLOSED',
      message: 'Cette saisine est clôturée : rouvrez-la pour écrire.',
    });
    expect(transition('envoyee', 'answer', 'agent', { assigned: false })).toMatchObject({
      message: 'Seul l’organisme destinataire peut répondre à une saisine.',
    });
    expect(transition('repondue', 'reopen', 'partner', { assigned: false })).toMatchObject({
      message: 'Seul le point de contact à l’origine de la saisine peut rouvrir une saisine.',
    });
    expect(transition('en_cours', 'close', 'system', { assigned: false })).toMatchObject({
      message: 'Seuls le point de contact et l’organisme destinataire peuvent clôturer une saisine.',
    });
    expect(transition('en_cours', 'take', 'partner', { assigned: true })).toMatchObject({
      message: expect.stringContaining('déjà prise en charge'),
    });
    expect(transition('archivee', 'reopen', 'agent', { assigned: false })).toMatchObject({
      message: 'Cette saisine est archivée : elle ne peut plus être modifiée.',
    });
  });

  it('reaches every status from a sent request', () => {
    const seen = new Set<RequestStatus>(['envoyee']);
    const queue: RequestStatus[] = ['envoyee'];
    while (queue.length > 0) {
      const from = queue.shift() as RequestStatus;
      for (const c of cases) {
        if (c.from !== from) continue;
        const result = transition(c.from, c.action, c.side, { assigned: c.assigned });
        if (result.ok && !seen.has(result.to)) {
          seen.add(result.to);
          queue.push(result.to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...statuses].sort());
  });

  it('keeps an archived request final', () => {
    for (const side of sides) for (const assigned of [false, true]) expect(allowedActions('archivee', side, { assigned })).toEqual([]);
  });

  it('leaves no open status a dead end: both sides can act and the request can always be closed', () => {
    for (const from of OPEN_STATUSES) {
      for (const assigned of [false, true]) {
        expect(allowedActions(from, 'agent', { assigned })).toContain('close');
        expect(allowedActions(from, 'partner', { assigned })).toContain('close');
        const leaving = requestActions.filter((action) =>
          sides.some((side) => {
            const r = transition(from, action, side, { assigned });
            return r.ok && r.to !== from;
          }),
        );
        expect(leaving.length).toBeGreaterThan(0);
      }
    }
    expect(OPEN_STATUSES).toEqual(['envoyee', 'en_cours', 'attente_infos', 'repondue']);
  });

  it('lets the system only archive a closed request', () => {
    for (const from of statuses) {
      for (const assigned of [false, true]) {
        expect(allowedActions(from, 'system', { assigned })).toEqual(from === 'cloturee' ? ['archive'] : []);
      }
    }
  });
});

describe('status labels', () => {
  it('names a sent request for each audience and says the next step', () => {
    expect(statusLabel('envoyee', 'agent').label).toBe('Envoyée');
    expect(statusLabel('envoyee', 'partner').label).toBe('Nouvelle');
    expect(statusLabel('envoyee', 'public', { days: 4 })).toEqual({
      label: 'Transmise à l’organisme',
      nextStep: 'L’organisme doit répondre sous 4 jours ouvrés.',
    });
    expect(statusLabel('en_cours', 'public', { days: 1 }).nextStep).toBe(
      'L’organisme étudie votre demande et doit répondre sous 1 jour ouvré.',
    );
    expect(statusLabel('envoyee', 'public').nextStep).toBe('L’organisme va étudier votre demande.');
  });

  it('gives every status a label and a next step for every audience', () => {
    for (const status of statuses) {
      for (const audience of ['agent', 'partner', 'public'] as const) {
        const { label, nextStep } = statusLabel(status, audience, { days: 3 });
        expect(label.length).toBeGreaterThan(0);
        expect(nextStep).toMatch(/^[A-ZÀ-Ý].+\.$/);
        expect(`${label} ${nextStep}`).not.toMatch(/_/);
      }
    }
  });
});
