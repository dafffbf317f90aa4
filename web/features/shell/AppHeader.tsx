import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header/index.js';
import { useLocation } from 'react-router';
import type { Me } from '../../../contracts/accounts.ts';
import { actingRoleOf, navigationFor } from '../../session/access.ts';
import { describeContext, useWorkContext } from '../../session/session.ts';
import { useSignOut } from '../../session/useSignOut.ts';
import { useAppConfig } from '../mandates/queries.ts';
import { ContextSwitcher, contextModal } from './ContextSwitcher.tsx';

const brand = {
  brandTop: (
    <>
      République
      <br />
      Française
    </>
  ),
  homeLinkProps: { to: '/', title: 'Accueil - Relais' },
  serviceTitle: 'Relais',
  serviceTagline: 'Le réseau France Services et ses partenaires, ensemble',
};

function SignedInHeader({ me }: { me: Me }) {
  const { pathname } = useLocation();
  const { contexts, current, select } = useWorkContext(me);
  const signOut = useSignOut();
  const described = current ? describeContext(current) : null;
  const config = useAppConfig();
  const organisationId = current?.kind === 'membership' ? current.membership.organisation?.id : null;
  const nav = current
    ? navigationFor(actingRoleOf(current), {
        smsOutbox: config.data?.smsOutbox,
        mailOutbox: config.data?.mailOutbox,
        inboxPath: organisationId ? `/organisations/${organisationId}/saisines` : null,
      })
    : [];
  const quickAccessItems: HeaderProps['quickAccessItems'] = [
    { iconId: 'fr-icon-account-circle-line', text: me.user.displayName, linkProps: { to: '/compte' } },
  ];
  if (described) {
    const text = `${described.place} · ${described.role}`;
    quickAccessItems.push(
      contexts.length > 1
        ? { iconId: 'fr-icon-map-pin-2-line', text, buttonProps: { ...contextModal.buttonProps, title: `${text} : changer d’espace` } }
        : { iconId: 'fr-icon-map-pin-2-line', text, linkProps: { to: '/' } },
    );
  }
  quickAccessItems.push({ iconId: 'fr-icon-logout-box-r-line', text: 'Se déconnecter', buttonProps: { onClick: () => void signOut() } });
  return (
    <>
      <Header
        {...brand}
        id="en-tete"
        quickAccessItems={quickAccessItems}
        navigation={nav.map((item) => ({
          text: item.text,
          linkProps: { to: item.to },
          isActive: item.to === '/' ? pathname === '/' : pathname.startsWith(item.to),
        }))}
      />
      {contexts.length > 1 && <ContextSwitcher contexts={contexts} currentKey={current?.key ?? null} onSelect={select} />}
    </>
  );
}

export function AppHeader({ me }: { me: Me | null | undefined }) {
  if (me) return <SignedInHeader me={me} />;
  return (
    <Header
      {...brand}
      id="en-tete"
      quickAccessItems={[
        { iconId: 'fr-icon-map-pin-2-line', text: 'Trouver un lieu d’accueil', linkProps: { to: '/trouver' } },
        { iconId: 'fr-icon-account-circle-line', text: 'Se connecter', linkProps: { to: '/connexion' } },
      ]}
    />
  );
}
