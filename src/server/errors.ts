/** An error meant for the client: a status, a stable code and a plain sentence. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new HttpError(400, code, message, details)
export const forbidden = (message: string, code = 'forbidden') => new HttpError(403, code, message)
export const notFound = (message: string) => new HttpError(404, 'not-found', message)
export const conflict = (code: string, message: string, details?: unknown) =>
  new HttpError(409, code, message, details)
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new HttpError(422, code, message, details)
