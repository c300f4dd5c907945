import type { MockResponse } from './types.js';

/**
 * A served spec file's refusal (401, 400, an undocumented `Prefer`, an oversized body) is its documented error
 * answer, whose body is the schema's sample or example — `{"message":"string"}`, or `{}` — and says nothing of
 * why. The mock's reason goes into it where the schema lets it: a string field such as `message` or `detail`
 * that the body has, else one added where the schema allows it; each try is kept only if the body still matches
 * the schema. The reason also rides along for the request log, whether or not the body could take it.
 */

/** String fields that error schemas commonly use for a human-readable reason, in order of preference. */
const reasonFields = ['message', 'detail', 'error_description', 'error', 'title', 'description', 'msg'];

export function withReason(
  response: MockResponse,
  reason: string,
  valid: (candidate: MockResponse) => boolean,
): MockResponse {
  const logged: MockResponse = { ...response, reason };
  const body = response.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return logged;
  const record = body as Record<string, unknown>;
  const candidates = [
    ...reasonFields.filter((f) => typeof record[f] === 'string'),
    ...reasonFields.filter((f) => !(f in record)),
  ];
  for (const field of candidates) {
    const candidate: MockResponse = { ...logged, body: { ...record, [field]: reason } };
    if (valid(candidate)) return candidate;
  }
  return logged;
}
