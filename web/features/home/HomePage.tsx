import { useSession } from '../../session/SessionContext.tsx';
import { AdminHome } from './AdminHome.tsx';
import { AgentHome } from './AgentHome.tsx';
import { CoordinatorHome } from './CoordinatorHome.tsx';
import { PartnerHome } from './PartnerHome.tsx';

/** The home page of the current role. */
export function HomePage() {
  const { context } = useSession();
  if (context.kind === 'admin') return <AdminHome />;
  switch (context.membership.role) {
    case 'agent':
      return <AgentHome membership={context.membership} />;
    case 'referent':
    case 'manager':
      return <PartnerHome membership={context.membership} />;
    case 'coordinator':
      return <CoordinatorHome membership={context.membership} />;
  }
}
