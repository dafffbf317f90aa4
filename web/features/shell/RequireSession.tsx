import { Navigate, Outlet, useLocation } from 'react-router';
import type { Session } from '../../session/access.ts';
import { actingRoleOf } from '../../session/access.ts';
import { SessionProvider } from '../../session/SessionContext.tsx';
import { useMe, useWorkContext } from '../../session/session.ts';
import { signOut } from '../../session/useSignOut.ts';
import { NoRolePage } from '../errors/NoRolePage.tsx';

/** The signed-in part of the app: without a session, go to the sign-in page and come back afterwards. */
export function RequireSession() {
  const { data: me } = useMe();
  const location = useLocation();
  if (!me) {
    if (signOut.done) return <Navigate to="/connexion?deconnexion=1" replace />;
    const back = location.pathname + location.search;
    return <Navigate to={back === '/' ? '/connexion' : `/connexion?retour=${encodeURIComponent(back)}`} replace />;
  }
  return <WithContext me={me} />;
}

function WithContext({ me }: { me: NonNullable<ReturnType<typeof useMe>['data']> }) {
  const { current } = useWorkContext(me);
  if (!current) return <NoRolePage />;
  const session: Session = {
    me,
    context: current,
    role: actingRoleOf(current),
    territoryId: current.kind === 'membership' ? current.membership.territory.id : null,
  };
  return (
    <SessionProvider value={session}>
      <Outlet />
    </SessionProvider>
  );
}
