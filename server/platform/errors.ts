/** The one error type of Relais: a stable code, an HTTP status and a message in French. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly errors?: { path: string; message: string }[],
    /** Extra members of the problem document (RFC 9457 extensions), e.g. the duplicates found. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const unauthenticated = () => new AppError('UNAUTHENTICATED', 401, 'Vous devez vous connecter pour accéder à cette ressource.');
export const forbidden = (detail = "Vous n'avez pas les droits nécessaires pour cette action.") => new AppError('FORBIDDEN', 403, detail);
export const notFound = (what = 'La ressource demandée') => new AppError('NOT_FOUND', 404, `${what} est introuvable.`);
export const conflict = (code: string, message: string, extensions?: Record<string, unknown>) =>
  new AppError(code, 409, message, undefined, extensions);
export const invalid = (code: string, message: string, errors?: AppError['errors']) => new AppError(code, 400, message, errors);
