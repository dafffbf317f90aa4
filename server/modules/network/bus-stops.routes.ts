import { z } from 'zod';
import {
  BusSeriesResult,
  BusStopParams,
  BusStopsQuery,
  BusStopView,
  ContactPointBusParams,
  CreateBusSeriesBody,
  CreateBusStopBody,
  UpdateBusStopBody,
} from '../../../contracts/partners.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import * as bus from './bus-stops.service.ts';

const tags = ['réseau'];

export function busStopsRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/territories/:territoryId/contact-points/:id/bus-stops',
    {
      schema: {
        tags,
        summary: 'Arrêts d’un bus itinérant ou d’une antenne (à venir par défaut)',
        params: ContactPointBusParams,
        querystring: BusStopsQuery,
        response: { 200: z.array(BusStopView) },
      },
    },
    async (req) => bus.listBusStops(ctx, actorOf(req), req.params.territoryId, req.params.id, req.query),
  );
  app.post(
    '/api/territories/:territoryId/contact-points/:id/bus-stops',
    {
      schema: {
        tags,
        summary: 'Ajouter un arrêt (date et heures locales du territoire)',
        params: ContactPointBusParams,
        body: CreateBusStopBody,
        response: { 201: BusStopView },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await bus.createBusStop(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req))),
  );
  app.post(
    '/api/territories/:territoryId/contact-points/:id/bus-stops/series',
    {
      schema: {
        tags,
        summary: 'Ajouter une série d’arrêts hebdomadaires (jours fériés exclus par défaut)',
        params: ContactPointBusParams,
        body: CreateBusSeriesBody,
        response: { 201: BusSeriesResult },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await bus.createBusSeries(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req))),
  );
  app.get(
    '/api/territories/:territoryId/bus-stops/:id',
    { schema: { tags, summary: 'Un arrêt', params: BusStopParams, response: { 200: BusStopView } } },
    async (req) => bus.getBusStop(ctx, actorOf(req), req.params.territoryId, req.params.id),
  );
  app.patch(
    '/api/territories/:territoryId/bus-stops/:id',
    {
      schema: { tags, summary: 'Modifier un arrêt', params: BusStopParams, body: UpdateBusStopBody, response: { 200: BusStopView } },
    },
    async (req) => bus.updateBusStop(ctx, actorOf(req), req.params.territoryId, req.params.id, req.body, auditContextOf(req)),
  );
  app.post(
    '/api/territories/:territoryId/bus-stops/:id/cancel',
    { schema: { tags, summary: 'Annuler un arrêt', params: BusStopParams, response: { 200: BusStopView } } },
    async (req) => bus.cancelBusStop(ctx, actorOf(req), req.params.territoryId, req.params.id, auditContextOf(req)),
  );
}
