import type { Check } from '../types.js';

export const offHostRedirect: Check = {
  id: 'off-host-redirect',
  description: 'no redirect to another host (the runner never follows one, so credentials cannot leak)',
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
    return [
      {
        severity: 'failure',
        expected: `no redirect away from ${origin.protocol}//${origin.host}`,
        actual: `${exchange.response!.status} to ${target.protocol}//${target.host} (not followed)`,
      },
    ];
  },
};
