import { ToolError } from '../../core/errors.js';
import type { Check } from '../types.js';
import { contentTypeConformance } from './content-type-conformance.js';
import { ignoredAuth } from './ignored-auth.js';
import { jsonRpcIdEcho } from './jsonrpc-id-echo.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { noContentBody } from './no-content-body.js';
import { nonexistentIdNotFound } from './nonexistent-id-not-found.js';
import { notAServerError } from './not-a-server-error.js';
import { offHostRedirect } from './off-host-redirect.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';
import { responseBodySize } from './response-body-size.js';
import { responseHeadersConformance } from './response-headers-conformance.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import { responseTime } from './response-time.js';
import { specGap } from './spec-gap.js';
import { statusCodeConformance } from './status-code-conformance.js';
import { unsupportedMethod } from './unsupported-method.js';
import { useAfterDelete } from './use-after-delete.js';

/** The registry: every check the runner has, each a small named function of one exchange. */
export const allChecks: readonly Check[] = [
  statusCodeConformance,
  specGap,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  noContentBody,
  notAServerError,
  negativeDataRejection,
  positiveDataAcceptance,
  ignoredAuth,
  useAfterDelete,
  nonexistentIdNotFound,
  unsupportedMethod,
  responseTime,
  responseBodySize,
  offHostRedirect,
  jsonRpcIdEcho,
];

export function selectChecks(only: string[] | undefined, exclude: string[] | undefined): Check[] {
  const known = new Set(allChecks.map((c) => c.id));
  for (const id of [...(only ?? []), ...(exclude ?? [])]) {
    if (!known.has(id)) {
      throw new ToolError('MCPC_USAGE', `unknown check '${id}'`, `valid check ids: ${[...known].join(', ')}`);
    }
  }
  return allChecks.filter((c) => (!only || only.length === 0 || only.includes(c.id)) && !exclude?.includes(c.id));
}
