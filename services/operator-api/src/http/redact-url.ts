/** Query parameters that carry credentials (`?access_token=` of SSE and WebSocket clients). */
const SECRET_PARAMS = /([?&](?:access_token|token)=)[^&#]*/gi;

/**
 * A request URL safe for logs: credential query values replaced by `[redacted]`. Every log line
 * that names a request URL goes through this (the error handler; the access log should too).
 */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}
