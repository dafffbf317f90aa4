import { useState } from 'react';
import type { Me } from '../../../contracts/accounts.ts';
import type { WorkContext } from '../../session/session.ts';

const STORAGE_KEY = 'relais.accueils.lieu';

export interface AgentPlace {
  id: string;
  name: string;
}

/** The contact points where this person is an agent in the territory of the current context. */
export function agentPlacesOf(me: Me, territoryId: string): AgentPlace[] {
  const places: AgentPlace[] = [];
  for (const m of me.memberships) {
    if (m.role === 'agent' && m.territory.id === territoryId && m.contactPoint && !places.some((p) => p.id === m.contactPoint?.id))
      places.push({ id: m.contactPoint.id, name: m.contactPoint.name });
  }
  return places;
}

/**
 * The contact point the visits are logged for: the one picked last (remembered in localStorage)
 * when the person works in several, else the one of the current context.
 */
export function useContactPointChoice(me: Me, context: WorkContext, territoryId: string) {
  const places = agentPlacesOf(me, territoryId);
  const fromContext = context.kind === 'membership' ? context.membership.contactPoint?.id : undefined;
  const [stored, setStored] = useState(() => {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  });
  const current = places.find((p) => p.id === stored) ?? places.find((p) => p.id === fromContext) ?? places[0] ?? null;
  const choose = (id: string) => {
    setStored(id);
    try {
      localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // private browsing: remembered until the page reloads
    }
  };
  return { places, current, choose };
}
