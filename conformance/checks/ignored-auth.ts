import type { Check } from '../types.js';
import { describeStatus } from './util.js';

export const ignoredAuth: Check = {
  id: 'ignored-auth',
  description: 'a secured operation rejects a request without credentials or with wrong ones (401/403)',
  applies: ({ exchange }) =>
    (exchange.credentials === 'none' || exchange.credentials === 'wrong') && exchange.response !== undefined,
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const status = exchange.response!.status;
    const what = exchange.credentials === 'none' ? 'without credentials' : 'with wrong credentials';
    if (status === 401 || status === 403) return [];
    // Rate limited before anything else was judged: says nothing about the credentials either way.
    if (status === 429) return [];
    if (status >= 300 && status < 400) {
      return [
        {
          severity: 'warning',
          expected: `401 or 403 for a request ${what}`,
          actual: `${describeStatus(exchange)}: redirected instead of refused`,
        },
      ];
    }
    if (status < 300) {
      return [
        {
          severity: 'failure',
          expected: `401 or 403 for a request ${what}`,
          actual: `${describeStatus(exchange)}: the credentials were not enforced`,
        },
      ];
    }
    if (status >= 500) return [];
    return [
      {
        severity: 'warning',
        expected: `401 or 403 for a request ${what}`,
        actual: `${status}: the request was rejected, but not for its credentials (they may be checked after other validation)`,
      },
    ];
  },
};
