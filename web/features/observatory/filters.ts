import { type Comparison, Comparisons } from '../../../contracts/observatory.ts';

/**
 * The dashboard's filters as they live in the page's address (shareable, the back button works):
 * the same names as the API's query (from, to, compare, contactPointId, organisationId), plus the tab.
 * A value that does not parse is dropped rather than sent to the API.
 */
export interface ObservatoryFilters {
  from?: string;
  to?: string;
  contactPointId?: string;
  organisationId?: string;
  compare: Comparison;
}

export const Tabs = ['accueils', 'saisines', 'satisfaction'] as const;
export type Tab = (typeof Tabs)[number];

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_COMPARE: Comparison = 'annee_precedente';

export function parseFilters(params: URLSearchParams): ObservatoryFilters {
  const month = (key: string) => {
    const v = params.get(key);
    return v && MONTH.test(v) ? v : undefined;
  };
  const uuid = (key: string) => {
    const v = params.get(key);
    return v && UUID.test(v) ? v : undefined;
  };
  const compare = Comparisons.find((c) => c === params.get('compare')) ?? DEFAULT_COMPARE;
  let from = month('from');
  let to = month('to');
  // « du » after « au »: swapped rather than refused (the form's own check prevents it).
  if (from && to && from > to) [from, to] = [to, from];
  const filters: ObservatoryFilters = { compare };
  if (from) filters.from = from;
  if (to) filters.to = to;
  const contactPointId = uuid('contactPointId');
  if (contactPointId) filters.contactPointId = contactPointId;
  const organisationId = uuid('organisationId');
  if (organisationId) filters.organisationId = organisationId;
  return filters;
}

export const parseTab = (params: URLSearchParams, allowed: readonly Tab[] = Tabs): Tab =>
  allowed.find((t) => t === params.get('onglet')) ?? 'accueils';

/** The address's parameters for these filters and tab (the default comparison and first tab are left out). */
export function filtersToParams(filters: ObservatoryFilters, tab: Tab = 'accueils'): URLSearchParams {
  const params = new URLSearchParams();
  if (tab !== 'accueils') params.set('onglet', tab);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.compare !== DEFAULT_COMPARE) params.set('compare', filters.compare);
  if (filters.contactPointId) params.set('contactPointId', filters.contactPointId);
  if (filters.organisationId) params.set('organisationId', filters.organisationId);
  return params;
}

/** The API's query string for a dashboard (« ?from=…&compare=… »). */
export function apiQuery(filters: ObservatoryFilters): string {
  const params = new URLSearchParams();
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.contactPointId) params.set('contactPointId', filters.contactPointId);
  if (filters.organisationId) params.set('organisationId', filters.organisationId);
  params.set('compare', filters.compare);
  return `?${params.toString()}`;
}

export const observatoryPath = (territoryId: string) => `/api/territories/${territoryId}/observatory`;

/** The file export of a dashboard with its filters (the comparison does not apply to a list of rows). */
export function exportUrl(territoryId: string, kind: 'visits' | 'requests', format: 'csv' | 'xlsx', filters: ObservatoryFilters): string {
  const params = new URLSearchParams({ format });
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.contactPointId) params.set('contactPointId', filters.contactPointId);
  if (filters.organisationId) params.set('organisationId', filters.organisationId);
  return `${observatoryPath(territoryId)}/exports/${kind}?${params.toString()}`;
}

/** The year in the key figures' address (« ?annee=2026 »), the current one when missing or odd. */
export function parseYear(value: string | null, now: Date = new Date()): number {
  const year = Number(value);
  return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : now.getFullYear();
}
