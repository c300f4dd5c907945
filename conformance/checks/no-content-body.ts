import type { Check } from '../types.js';

export const noContentBody: Check = {
  id: 'no-content-body',
  description: 'a 204 or 304 response carries no body (checked on the headers too, since clients drop the bytes)',
  applies: ({ exchange }) => exchange.response?.status === 204 || exchange.response?.status === 304,
  run({ exchange }) {
    const response = exchange.response;
    if (!response || (response.status !== 204 && response.status !== 304)) return [];
    // A 304 may carry the Content-Length of the 200 it stands for (RFC 9110 §8.6); only its bytes count.
    const length = response.status === 204 ? Number(response.headers['content-length'] ?? '0') : 0;
    const chunked = response.headers['transfer-encoding'] !== undefined;
    if (response.bodyBytes === 0 && !(length > 0) && !chunked) return [];
    const evidence = [
      response.bodyBytes > 0 ? `${response.bodyBytes} body bytes` : undefined,
      length > 0 ? `Content-Length: ${length}` : undefined,
      chunked ? `Transfer-Encoding: ${response.headers['transfer-encoding']}` : undefined,
    ].filter(Boolean);
    return [{ severity: 'failure', expected: `no body on ${response.status}`, actual: evidence.join(', ') }];
  },
};
