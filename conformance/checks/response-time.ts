import type { Check } from '../types.js';

export const responseTime: Check = {
  id: 'response-time',
  description: 'a complete response arrives within --timeout (and within --max-response-time when given)',
  applies: () => true,
  run({ exchange, options }) {
    if (exchange.timedOut) {
      return [
        {
          severity: 'failure',
          expected: `a complete response within ${options.timeoutMs} ms`,
          actual: 'the target accepted the connection and then hung; the runner gave up',
        },
      ];
    }
    const elapsed = exchange.response?.elapsedMs;
    if (elapsed === undefined || options.maxResponseTimeMs === undefined || elapsed <= options.maxResponseTimeMs)
      return [];
    return [
      { severity: 'failure', expected: `a response within ${options.maxResponseTimeMs} ms`, actual: `${elapsed} ms` },
    ];
  },
};
