import type { ImportIssue } from '../../../../contracts/imports.ts';
import { validateOpeningHours } from '../../../platform/calendar/opening-hours.ts';
import { normalizePhone } from './anct.ts';
import { type ImportedContactPoint, ImportFileError, type ImportRecord } from './records.ts';

/**
 * Import of a data·inclusion file ({ structures, services }, schema v0 — see
 * export/data-inclusion.schema.ts): each structure becomes a contact point. Each service becomes
 * a partner served at its structure's contact point when its partner organisation can be found
 * in the territory (the rule is in services-match.ts); the others are reported, never invented.
 *
 * The key of a structure is its `id`. Our own exports use the ANCT matricule when the place has
 * one, and Relais's id otherwise: a Relais id finds the same contact point again; any other id is
 * kept as the place's matricule (there is no separate column for foreign identifiers), so the
 * next import of the same file finds it again.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KIND_OF_TYPOLOGY: Record<string, ImportedContactPoint['kind']> = {
  RFS: 'france_services',
  MSAP: 'france_services',
  MUNI: 'mairie',
  LA_POSTE: 'bureau_de_poste',
  ASSO: 'association',
};

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().replace(/\s+/g, ' ') : null);

/** The department of a commune code (97x overseas, 2A/2B Corsica). */
export function departmentOfInsee(code: string | null): string | null {
  if (!code) return null;
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

/** One data·inclusion service, as read: `index` is its 1-based position in the `services` list. */
export interface ServiceRecord {
  index: number;
  id: string | null;
  structureId: string | null;
  nom: string | null;
  source: string | null;
  /** How the partner is present (`recurrence`, which our export fills with the link's note). */
  note: string | null;
}

export function parseDataInclusion(text: string): { records: ImportRecord[]; issues: ImportIssue[]; services: ServiceRecord[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ImportFileError('Fichier data·inclusion illisible : ce n’est pas un JSON valide.');
  }
  const structures = Array.isArray(data) ? data : (data as { structures?: unknown })?.structures;
  if (!Array.isArray(structures)) {
    throw new ImportFileError('Fichier data·inclusion inattendu : il faut une liste « structures » (ou une liste de structures).');
  }
  const services = (data as { services?: unknown })?.services;
  const records: ImportRecord[] = [];
  const issues: ImportIssue[] = [];
  structures.forEach((raw, index) => {
    const line = index + 1;
    const flag = (column: string, value: unknown, reason: string) =>
      issues.push({ line, column, value: typeof value === 'string' ? value : JSON.stringify(value ?? null), reason });
    const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const id = str(s.id);
    const nom = str(s.nom);
    const commune = str(s.commune);
    if (!id || !nom || !commune) {
      const column = !id ? 'id' : !nom ? 'nom' : 'commune';
      flag(column, s[column], 'valeur obligatoire absente : structure ignorée');
      records.push({ line, key: id ?? '', department: null, values: null });
      return;
    }
    const labels = Array.isArray(s.labels_nationaux) ? s.labels_nationaux : [];
    const typologie = str(s.typologie);
    const kind: ImportedContactPoint['kind'] | null = labels.includes('france-service')
      ? 'france_services'
      : s.antenne === true
        ? 'antenne'
        : ((typologie ? KIND_OF_TYPOLOGY[typologie] : null) ?? null);
    const values: ImportedContactPoint = {
      matricule: id,
      name: nom,
      kind: kind ?? 'agence_partenaire',
      commune,
      inseeCode: null,
      labelDate: null,
      address: str(s.adresse),
      addressComplement: str(s.complement_adresse),
      postcode: null,
      latitude: null,
      longitude: null,
      phone: null,
      email: null,
      website: null,
      managingBody: null,
      managingBodyType: null,
      openingHours: null,
      hoursReview: null,
      source: 'data_inclusion',
    };
    const description = str(s.presentation_detail) ?? str(s.presentation_resume);
    if (description) values.description = description;

    const insee = str(s.code_insee)?.toUpperCase() ?? null;
    if (insee && /^[0-9][0-9AB][0-9]{3}$/.test(insee)) values.inseeCode = insee;
    else if (insee) flag('code_insee', insee, 'code INSEE de commune invalide');
    const postcode = str(s.code_postal);
    if (postcode && /^[0-9]{5}$/.test(postcode)) values.postcode = postcode;
    else if (postcode) flag('code_postal', postcode, 'code postal invalide (5 chiffres attendus)');
    if (s.latitude != null || s.longitude != null) {
      const [la, lo] = [s.latitude, s.longitude];
      if (typeof la === 'number' && typeof lo === 'number' && Math.abs(la) <= 90 && Math.abs(lo) <= 180) {
        values.latitude = la;
        values.longitude = lo;
      } else flag('latitude', `${la ?? ''} ${lo ?? ''}`.trim(), 'coordonnées invalides : non importées');
    }
    const phone = str(s.telephone);
    if (phone) {
      values.phone = normalizePhone(phone);
      if (!values.phone) flag('telephone', phone, 'numéro de téléphone français invalide');
    }
    const email = str(s.courriel)?.toLowerCase() ?? null;
    if (email && EMAIL.test(email)) values.email = email;
    else if (email) flag('courriel', email, 'adresse e-mail invalide');
    const website = str(s.site_web);
    if (website && /^https?:\/\/[^\s]+\.[^\s]+$/.test(website)) values.website = website;
    else if (website) flag('site_web', website, 'adresse web invalide (https://…)');
    const hours = str(s.horaires_ouverture);
    let hoursCells = { converted: 0, unconverted: 0 };
    if (hours) {
      const checked = validateOpeningHours(hours);
      if (checked.ok) {
        values.openingHours = checked.normalized;
        hoursCells = { converted: 1, unconverted: 0 };
      } else {
        values.hoursReview = `Horaires data·inclusion à vérifier : « ${hours} » (${checked.message})`;
        flag('horaires_ouverture', hours, checked.message);
        hoursCells = { converted: 0, unconverted: 1 };
      }
    }
    records.push({
      line,
      key: id,
      department: departmentOfInsee(values.inseeCode ?? null),
      values,
      hoursCells,
      keepExisting: kind ? [] : ['kind'],
    });
  });
  const serviceRecords = (Array.isArray(services) ? services : []).map((raw, index): ServiceRecord => {
    const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    return {
      index: index + 1,
      id: str(s.id),
      structureId: str(s.structure_id),
      nom: str(s.nom),
      source: str(s.source),
      note: str(s.recurrence),
    };
  });
  return { records, issues, services: serviceRecords };
}
