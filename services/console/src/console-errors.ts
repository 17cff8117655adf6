import { defineErrors } from '@yujing/errors';

/** Error codes of the console service (docs/errors.md); bodies are problem+json like operator-api's. */
export const consoleErrors = defineErrors('console', {
  YJ_ERR_CONSOLE_UPSTREAM: {
    statusCode: 502,
    retryable: true,
    message: 'operator-api did not answer the forwarded /api request',
  },
  YJ_ERR_CONSOLE_PERSONA: {
    statusCode: 400,
    retryable: false,
    message: 'the dev sign-in names no known demo persona',
  },
});

/** An RFC 9457 problem body for one of the console's errors. */
export function problemBody(code: keyof typeof consoleErrors, detail: string) {
  const status = consoleErrors[code].definition.statusCode;
  return { type: `https://yujing.example/problems/${code}`, title: code, status, code, detail };
}
