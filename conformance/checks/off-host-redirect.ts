import type { Check } from '../types.js';
import { documentedExactlyOrByRange } from './util.js';

export const offHostRedirect: Check = {
  id: 'off-host-redirect',
  description:
    'no redirect to another host unless the operation documents that 3xx (exact or 3XX; never followed either way)',
  applies: ({ exchange }) => {
    const status = exchange.response?.status ?? 0;
    return status >= 300 && status < 400;
  },
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const location = exchange.response!.headers.location;
    if (!location) return [];
    let target: URL;
    try {
      target = new URL(location, exchange.request.url);
    } catch {
      return [{ severity: 'failure', expected: 'a valid Location', actual: `Location: ${location}` }];
    }
    const origin = new URL(exchange.request.url);
    if (target.host === origin.host && target.protocol === origin.protocol) return [];
    // A redirect the operation documents (its code or 3XX; `default` documents no redirect) is the contract:
    // it passes, to any host. The runner still never follows it, so no credential goes along.
    if (documentedExactlyOrByRange(exchange)) return [];
    return [
      {
        severity: 'failure',
        expected: `no redirect away from ${origin.protocol}//${origin.host} (the operation documents no ${exchange.response!.status})`,
        actual: `${exchange.response!.status} to ${target.protocol}//${target.host} (not followed)`,
      },
    ];
  },
};
