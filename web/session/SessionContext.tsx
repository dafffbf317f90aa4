import { createContext, type ReactNode, useContext } from 'react';
import type { Session } from './access.ts';

const SessionContext = createContext<Session | null>(null);

export const SessionProvider = ({ value, children }: { value: Session; children: ReactNode }) => (
  <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
);

/** The signed-in person and their current work context; only inside the signed-in routes. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside the signed-in routes');
  return session;
}

/** The current territory; the signed-in routes that call this are only reachable with a membership. */
export function useTerritoryId(): string {
  const { territoryId } = useSession();
  if (!territoryId) throw new Error('no territory in the current context');
  return territoryId;
}
