import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../features/auth/messages.ts';
import { navigationFor } from './access.ts';

describe('the navigation', () => {
  it('shows the journal only to coordinators, the API tokens to coordinators and partner managers, person files to agents and coordinators', () => {
    const pages = (role: Parameters<typeof navigationFor>[0]) => navigationFor(role).map((item) => item.to);
    expect(pages('coordinator')).toEqual([
      '/',
      '/reseau',
      '/usagers',
      '/saisines',
      '/fiches',
      '/observatoire',
      '/referents',
      '/membres',
      '/journal',
      '/jetons',
      '/compte',
    ]);
    expect(pages('manager')).toEqual(['/', '/reseau', '/fiches', '/observatoire', '/referents', '/membres', '/jetons', '/compte']);
    expect(pages('referent')).toEqual(['/', '/reseau', '/fiches', '/observatoire', '/referents', '/membres', '/compte']);
    expect(pages('agent')).toEqual([
      '/',
      '/nouvel-accueil',
      '/mes-accueils',
      '/reseau',
      '/usagers',
      '/saisines',
      '/fiches',
      '/observatoire',
      '/referents',
      '/membres',
      '/compte',
    ]);
    expect(pages('admin')).toEqual(['/', '/compte']);
  });

  it('links the SMS outbox for agents and coordinators only when no SMS provider is configured', () => {
    const pages = (role: Parameters<typeof navigationFor>[0]) => navigationFor(role, { smsOutbox: true }).map((item) => item.to);
    expect(pages('agent')).toContain('/boite-sms');
    expect(pages('coordinator')).toContain('/boite-sms');
    for (const role of ['referent', 'manager', 'admin'] as const) expect(pages(role)).not.toContain('/boite-sms');
    expect(navigationFor('agent', { smsOutbox: false }).map((item) => item.to)).not.toContain('/boite-sms');
  });

  it('links their organisation’s inbox for partner referents and managers, after the home', () => {
    const inboxPath = '/organisations/0b7e/saisines';
    expect(navigationFor('referent', { inboxPath })[1]).toEqual({ to: inboxPath, text: 'Boîte de réception' });
    expect(navigationFor('manager', { inboxPath })[1]).toEqual({ to: inboxPath, text: 'Boîte de réception' });
    for (const role of ['agent', 'coordinator', 'admin'] as const)
      expect(navigationFor(role, { inboxPath }).map((item) => item.to)).not.toContain(inboxPath);
  });

  it('links the mail outbox for every role only when no SMTP server is configured', () => {
    for (const role of ['agent', 'referent', 'manager', 'coordinator', 'admin'] as const) {
      expect(navigationFor(role, { mailOutbox: true }).map((item) => item.to)).toContain('/boite-mail');
      expect(navigationFor(role, { mailOutbox: false }).map((item) => item.to)).not.toContain('/boite-mail');
    }
  });
});

describe('the return address after signing in', () => {
  it('keeps a path of this site with its query', () => {
    expect(safeReturnPath('/membres?onglet=2')).toBe('/membres?onglet=2');
  });

  it('refuses other sites, protocol-relative and backslash tricks, and the sign-in page itself', () => {
    for (const value of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/connexion?retour=/x', null])
      expect(safeReturnPath(value)).toBe('/');
  });
});
