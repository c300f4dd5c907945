import type { Check } from '../types.js';
import { describeStatus } from './util.js';

export const unsupportedMethod: Check = {
  id: 'unsupported-method',
  description: 'a method the spec does not define for a path is answered 405 with an Allow header',
  applies: ({ exchange }) => exchange.kind === 'unsupported-method' && exchange.response !== undefined,
  run(ctx) {
    if (!this.applies(ctx)) return [];
    const { exchange } = ctx;
    const status = exchange.response!.status;
    const method = exchange.request.method;
    if (status === 501) return [];
    if (status === 405) {
      if (exchange.response!.headers.allow !== undefined) return [];
      return [
        {
          severity: 'warning',
          expected: '405 with an Allow header listing the supported methods',
          actual: '405 without Allow',
        },
      ];
    }
    if (status < 400) {
      return [
        {
          severity: 'failure',
          expected: `405 for ${method}, which the spec does not define for this path`,
          actual: `${describeStatus(exchange)}: the undocumented method was accepted`,
        },
      ];
    }
    if (status >= 500) return [];
    return [{ severity: 'warning', expected: `405 for ${method}`, actual: `${status}` }];
  },
};
