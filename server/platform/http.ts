import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isUnstorableText } from '../db/errors.ts';
import { AppError } from './errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: { path: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Introuvable',
  405: 'Méthode non autorisée',
  409: 'Conflit',
  413: 'Requête trop volumineuse',
  414: 'Adresse trop longue',
  415: 'Type de contenu non pris en charge',
  422: 'Requête non traitable',
  423: 'Compte verrouillé',
  429: 'Trop de requêtes',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

/** Sends an RFC 9457 problem+json answer with a stable code and a French message. */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body: Problem = {
    ...error.extensions,
    type: `/api/problems/${error.code}`,
    title: TITLES[error.status] ?? 'Erreur',
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: req.url.split('?')[0] ?? req.url,
    requestId: String(req.id),
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
  return reply.code(error.status).type('application/problem+json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/** Maps every error Fastify or our code can throw to a problem; never leaks a stack to the client. */
export function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: [error.validationContext, ...(issue.instancePath ? issue.instancePath.split('/').filter(Boolean) : [])].join('.'),
      message: issue.message ?? 'valeur invalide',
    }));
    return new AppError('VALIDATION_FAILED', 400, 'Certaines valeurs envoyées sont invalides.', errors);
  }
  if (isUnstorableText(error)) return unstorableText();
  if (isResponseSerializationError(error)) {
    return new AppError('INTERNAL_ERROR', 500, 'Une erreur inattendue est survenue. Réessayez plus tard.');
  }
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON', 400, "Le corps de la requête n'est pas un JSON valide.");
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 413, 'Le corps de la requête est trop volumineux.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Type de contenu non pris en charge : envoyez du JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('INVALID_CONTENT_LENGTH', 400, 'La longueur annoncée du corps est incorrecte.');
    case 'FST_ERR_VALIDATION':
      return new AppError('VALIDATION_FAILED', 400, 'Certaines valeurs envoyées sont invalides.');
    case 'FST_ERR_BAD_URL':
      return new AppError('BAD_URL', 400, "L'adresse demandée est invalide.");
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('URL_TOO_LONG', 414, "Un élément de l'adresse demandée est trop long.");
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return new AppError('BAD_REQUEST', status, 'La requête est invalide.');
  }
  return new AppError('INTERNAL_ERROR', 500, 'Une erreur inattendue est survenue. Réessayez plus tard.');
}

/**
 * Errors Fastify meets before routing (an undecodable URL, an overlong path parameter); pass it as
 * the `frameworkErrors` server option, otherwise Fastify answers them in its own JSON.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  return sendProblem(req, reply, toAppError(error));
}

const unstorableText = () =>
  new AppError(
    'TEXT_NOT_STORABLE',
    400,
    'Un texte envoyé contient un caractère qui ne peut pas être enregistré (caractère nul ou invalide).',
  );

/** True when every string (keys included) of a parsed JSON value is well-formed and has no NUL. */
function isStorableText(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed() && !value.includes('\u0000');
  if (Array.isArray(value)) return value.every(isStorableText);
  if (value && typeof value === 'object') return Object.entries(value).every(([k, v]) => isStorableText(k) && isStorableText(v));
  return true;
}

/** Problem answers for every error, and JSON as the only body type (anything else gets 415). */
export function registerProblemHandler(app: FastifyInstance) {
  app.removeContentTypeParser('text/plain');
  // Fastify's own JSON parser (prototype poisoning refused), then one check for every endpoint:
  // text PostgreSQL cannot store (NUL, a lone UTF-16 surrogate, which jsonb also refuses) is a 400.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      if (!isStorableText(value)) return done(unstorableText(), undefined);
      done(null, value);
    });
  });
  app.setErrorHandler((error, req, reply) => {
    const appError = toAppError(error as FastifyError);
    if (appError.status >= 500) req.log.error({ err: error }, 'unhandled error');
    return sendProblem(req, reply, appError);
  });
}
