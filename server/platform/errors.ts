/** The one error type of Relais: a stable code, an HTTP status and a message in French. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const unauthenticated = () => new AppError('UNAUTHENTICATED', 401, 'Vous devez vous connecter pour accéder à cette ressource.');
export const forbidden = (detail = "Vous n'avez pas les droits nécessaires pour cette action.") => new AppError('FORBIDDEN', 403, detail);
export const notFound = (what = 'La ressource demandée') => new AppError('NOT_FOUND', 404, `${what} est introuvable.`);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
export const invalid = (code: string, message: string, errors?: AppError['errors']) => new AppError(code, 400, message, errors);
