import type { Check } from '../types.js';
import { documentedResponse, hasBody, mediaTypeMatches, mediaTypeOf } from './util.js';

export const contentTypeConformance: Check = {
  id: 'content-type-conformance',
  description: 'the Content-Type is one documented for that status; a documented body is present; no undocumented body',
  applies: (ctx) => documentedResponse(ctx) !== undefined,
  run(ctx) {
    const spec = documentedResponse(ctx);
    const { exchange } = ctx;
    const response = exchange.response;
    if (
      !spec ||
      !response ||
      exchange.request.method === 'HEAD' ||
      response.status === 204 ||
      response.status === 304
    ) {
      return [];
    }
    const documented = spec.content.map((m) => m.mediaType);
    const actual = mediaTypeOf(response.headers['content-type']);
    if (documented.length === 0) {
      if (!hasBody(exchange)) return [];
      return [
        {
          severity: 'failure',
          expected: `no body: the spec documents no content for ${spec.status}`,
          actual: `a ${response.bodyBytes} byte ${actual ?? 'untyped'} body`,
          hint: `Either document the body under ${spec.pointer}/content, or stop sending it.`,
        },
      ];
    }
    if (!hasBody(exchange)) {
      return [
        {
          severity: 'failure',
          expected: `a body of type ${documented.join(' or ')}`,
          actual: actual
            ? `no body (Content-Type ${response.headers['content-type']}, 0 bytes)`
            : 'no body and no Content-Type',
        },
      ];
    }
    if (!actual) {
      return [
        { severity: 'failure', expected: `Content-Type ${documented.join(' or ')}`, actual: 'no Content-Type header' },
      ];
    }
    if (documented.some((d) => mediaTypeMatches(d, actual))) return [];
    return [
      {
        severity: 'failure',
        expected: `Content-Type ${documented.join(' or ')}`,
        actual: `Content-Type ${response.headers['content-type']}`,
      },
    ];
  },
};
