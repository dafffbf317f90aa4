import { describe, expect, it } from 'vitest';
import { matchPartner, normalizeWords } from './services-match.ts';

const caf = { id: '2b7c3c1e-6d1f-4b8a-9d60-0c1b2a3d4e5f', name: 'CAF de l’Orne', acronym: 'CAF', nationalCode: 'CAF' };
const msa = { id: '9a8b7c6d-1111-4222-8333-944455566677', name: 'MSA Mayenne-Orne-Sarthe', acronym: 'MSA', nationalCode: 'MSA' };
const poste = { id: '0f0e0d0c-2222-4333-8444-955566677788', name: 'La Poste', acronym: 'LP', nationalCode: 'LA_POSTE' };
const orgs = [caf, msa, poste];
const service = (s: { id?: string; nom?: string; source?: string }) => ({ id: s.id ?? null, nom: s.nom ?? null, source: s.source ?? null });

describe('matchPartner', () => {
  it('finds an organisation by our own service id first', () => {
    expect(matchPartner(service({ id: `9001--${msa.id}`, nom: 'Permanence CAF' }), orgs)).toEqual({ organisationId: msa.id, by: 'id' });
  });

  it('finds a name, an acronym or a national code as whole words, ignoring case, accents and punctuation', () => {
    expect(matchPartner(service({ nom: 'CAF de l’Orne – accompagnement dans les démarches' }), orgs)).toMatchObject({
      organisationId: caf.id,
    });
    expect(matchPartner(service({ nom: 'msa mayenne orne sarthe' }), orgs)).toMatchObject({ organisationId: msa.id, by: 'nom' });
    expect(matchPartner(service({ nom: 'Permanence (caf)' }), orgs)).toMatchObject({ organisationId: caf.id });
    expect(matchPartner(service({ nom: 'Services de la poste' }), orgs)).toMatchObject({ organisationId: poste.id });
    // Not inside another word.
    expect(matchPartner(service({ nom: 'Cafétéria solidaire' }), orgs).organisationId).toBeNull();
  });

  it('looks at source only when nom names nobody, and refuses to choose between two partners', () => {
    expect(matchPartner(service({ nom: 'Atelier numérique', source: 'la-poste' }), orgs)).toMatchObject({
      organisationId: poste.id,
      by: 'source',
    });
    expect(matchPartner(service({ nom: 'Permanence MSA', source: 'caf' }), orgs)).toMatchObject({ organisationId: msa.id, by: 'nom' });
    expect(matchPartner(service({ nom: 'Permanence MSA et CAF' }), orgs)).toEqual({
      organisationId: null,
      reason: expect.stringContaining('ambigu'),
    });
    expect(matchPartner(service({ nom: 'Permanence URSSAF', source: 'dora' }), orgs).organisationId).toBeNull();
    // A Relais id of an organisation of another territory: falls back to the name.
    expect(matchPartner(service({ id: '9001--00000000-0000-4000-8000-000000000000', nom: 'MSA' }), orgs)).toMatchObject({ by: 'nom' });
  });

  it('normalizes words', () => {
    expect(normalizeWords('  L’Aigle — Évreux-Sud ')).toBe('l aigle evreux sud');
  });
});
