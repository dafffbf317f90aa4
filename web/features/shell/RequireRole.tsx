import type { ReactNode } from 'react';
import { type ActingRole, pageRoles } from '../../session/access.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { ForbiddenPage } from '../errors/ForbiddenPage.tsx';

/** Shows the page only to the roles that work with it (see pageRoles); others get the 403 page. */
export function RequireRole({ page, children }: { page: keyof typeof pageRoles; children: ReactNode }) {
  const { role } = useSession();
  if (!(pageRoles[page] as ActingRole[]).includes(role)) return <ForbiddenPage />;
  return <>{children}</>;
}
