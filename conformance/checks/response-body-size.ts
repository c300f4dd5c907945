import type { Check } from '../types.js';

export const responseBodySize: Check = {
  id: 'response-body-size',
  description: 'the body fits in the body-size cap (the runner stops reading there)',
  applies: ({ exchange }) => exchange.response !== undefined,
  run({ exchange, options }) {
    if (!exchange.response?.truncated) return [];
    return [
      {
        severity: 'failure',
        expected: `a body of at most ${options.maxBodyBytes} bytes`,
        actual: `${exchange.response.bodyBytes > options.maxBodyBytes ? exchange.response.bodyBytes : `more than ${options.maxBodyBytes}`} bytes; reading stopped at the cap`,
      },
    ];
  },
};
