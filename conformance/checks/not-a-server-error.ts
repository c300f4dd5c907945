import type { Check } from '../types.js';

export const notAServerError: Check = {
  id: 'not-a-server-error',
  description: 'no 5xx unless the run asked for it (Prefer: code=5xx)',
  applies: ({ exchange }) => exchange.response !== undefined,
  run({ exchange }) {
    const status = exchange.response?.status;
    if (status === undefined || status < 500 || status > 599 || exchange.preferredStatus === status) return [];
    // 501 is HTTP's own answer to a method the server does not recognise (RFC 9110 §15.6.2).
    if (exchange.kind === 'unsupported-method' && status === 501) return [];
    return [
      {
        severity: 'failure',
        expected: 'no server error: a conforming deployment answers every request it was sent here without a 5xx',
        actual: `${status}`,
      },
    ];
  },
};
