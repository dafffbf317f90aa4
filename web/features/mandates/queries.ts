import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AuthConfig } from '../../../contracts/accounts.ts';
import type { MandateListView, MandateView, SmsOutboxView } from '../../../contracts/mandates.ts';
import { api } from '../../api/client.ts';

export const mandateKeys = {
  list: (territoryId: string, personId: string) => ['territory', territoryId, 'people', personId, 'mandates'] as const,
  one: (territoryId: string, personId: string, id: string) => ['territory', territoryId, 'people', personId, 'mandates', id] as const,
  outbox: (territoryId: string) => ['territory', territoryId, 'sms-outbox'] as const,
};

export const mandatesPath = (territoryId: string, personId: string) => `/api/territories/${territoryId}/people/${personId}/mandates`;

export const useMandates = (territoryId: string, personId: string, enabled = true) =>
  useQuery({
    queryKey: mandateKeys.list(territoryId, personId),
    queryFn: () => api.get<MandateListView>(mandatesPath(territoryId, personId)),
    enabled,
  });

export const useMandate = (territoryId: string, personId: string, id: string) =>
  useQuery({
    queryKey: mandateKeys.one(territoryId, personId, id),
    queryFn: () => api.get<MandateView>(`${mandatesPath(territoryId, personId)}/${id}`),
  });

export const useSmsOutbox = (territoryId: string) =>
  useQuery({
    queryKey: mandateKeys.outbox(territoryId),
    queryFn: () => api.get<SmsOutboxView>(`/api/territories/${territoryId}/sms-outbox`),
  });

/** The public configuration (the same query as the sign-in page): Aidants Connect's address, the SMS outbox. */
export const useAppConfig = () =>
  useQuery({ queryKey: ['auth-config'], queryFn: () => api.get<z.infer<typeof AuthConfig>>('/api/auth/config'), staleTime: 300_000 });

/** « 12 jours restants », « 1 jour restant », « dernier jour ». */
export function daysLeftLabel(days: number): string {
  if (days <= 0) return 'dernier jour';
  return days === 1 ? '1 jour restant' : `${days} jours restants`;
}

/** The scope in a sentence: « tous les partenaires » or « CAF, CPAM ; démarches : carte Vitale ». */
export function scopeLabel(scope: MandateView['scope']): string {
  if (scope.all) return 'Tous les partenaires';
  const parts = [];
  if (scope.organisations.length) parts.push(scope.organisations.map((o) => o.acronym).join(', '));
  if (scope.procedures.length) parts.push(`démarches : ${scope.procedures.join(', ')}`);
  return parts.join(' ; ');
}
