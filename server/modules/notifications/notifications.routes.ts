import { NotificationPreferences, NotificationPreferencesBody, OutboxMailsView } from '../../../contracts/notifications.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { listOutboxMails } from './outbox.service.ts';
import { getNotificationPreferences, setNotificationPreferences } from './preferences.service.ts';

export function notificationsRoutes(app: App, ctx: AppContext) {
  const account = ['compte'];
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags: account,
        summary: 'Comment je suis prévenu(e) : un courriel à chaque fois ou un résumé par jour',
        response: { 200: NotificationPreferences },
      },
    },
    async (req) => getNotificationPreferences(ctx, actorOf(req)),
  );
  app.put(
    '/api/me/notifications',
    {
      schema: {
        tags: account,
        summary: 'Choisir : un courriel à chaque notification (immediat) ou un résumé par jour (quotidien)',
        body: NotificationPreferencesBody,
        response: { 200: NotificationPreferences },
      },
    },
    async (req) => setNotificationPreferences(ctx, actorOf(req), req.body.mode, auditContextOf(req)),
  );
  app.get(
    '/api/outbox/mails',
    {
      schema: {
        tags: ['boîte d’envoi'],
        summary: 'Boîte d’envoi des courriels (sans serveur SMTP configuré) : les miens, ceux de mes territoires pour un coordinateur',
        response: { 200: OutboxMailsView },
      },
    },
    async (req) => listOutboxMails(ctx, actorOf(req), auditContextOf(req)),
  );
}
