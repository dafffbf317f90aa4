import { z } from 'zod';
import { Uuid } from './common.ts';

/** How a person is told about their requests: each email at once, or one digest a day. */
export const NotificationModes = ['immediat', 'quotidien'] as const;
export type NotificationMode = (typeof NotificationModes)[number];
export const NotificationModeLabels: Record<NotificationMode, string> = {
  immediat: 'Un courriel à chaque notification',
  quotidien: 'Un résumé par jour, à 8 h les jours ouvrés',
};

export const NotificationPreferences = z.object({ mode: z.enum(NotificationModes) });
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const NotificationPreferencesBody = z.strictObject({
  mode: z.enum(NotificationModes, { message: 'choix attendu : « immediat » ou « quotidien »' }),
});

/** The in-app mail outbox (no SMTP server configured): the emails the reader may see, newest first. */
export const OutboxMailsView = z.object({
  items: z.array(
    z.object({
      id: Uuid,
      createdAt: z.iso.datetime(),
      to: z.string(),
      subject: z.string(),
      body: z.string(),
      /** True when the email was addressed to the reader (others' single-use links are masked). */
      mine: z.boolean(),
    }),
  ),
});
export type OutboxMailsView = z.infer<typeof OutboxMailsView>;
