import { useQuery } from '@tanstack/react-query';
import type { NotificationPreferences, OutboxMailsView } from '../../../contracts/notifications.ts';
import { api } from '../../api/client.ts';

export const notificationKeys = {
  preferences: ['account', 'notifications'] as const,
  outbox: ['outbox', 'mails'] as const,
};

export const useNotificationPreferences = () =>
  useQuery({ queryKey: notificationKeys.preferences, queryFn: () => api.get<NotificationPreferences>('/api/me/notifications') });

export const useMailOutbox = () =>
  useQuery({ queryKey: notificationKeys.outbox, queryFn: () => api.get<OutboxMailsView>('/api/outbox/mails') });
