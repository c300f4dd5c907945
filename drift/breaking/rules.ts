/**
 * The breaking-change catalogue. Ids are stable: they appear in reports, annotations and in
 * `specs/drift-ignore.yaml`, so renaming one breaks every ignore entry that names it. Severities follow
 * oasdiff's model: `error` breaks a client that was correct against the old contract, `warning` may break
 * one (it depends on how strictly it reads responses), `info` is a change worth seeing that breaks nobody.
 *
 * Direction matters: a request is what clients send (narrowing it breaks them), a response is what clients
 * read (widening it breaks them).
 */

export type BreakingSeverity = 'error' | 'warning' | 'info';

export interface BreakingRule {
  severity: BreakingSeverity;
  /** What the rule detects, in one line (the catalogue in the README and `--help` text). */
  description: string;
  /** How to fix the spec when the change was not intended. */
  fix: string;
}

export const breakingRules = {
  'path-removed': {
    severity: 'error',
    description: 'a path and every operation under it were removed',
    fix: 'restore the path (mark it `deprecated: true` until clients have moved, then remove it)',
  },
  'operation-removed': {
    severity: 'error',
    description: 'an operation (method on a path that still exists) was removed',
    fix: 'restore the operation (mark it `deprecated: true` first, remove it later)',
  },
  'response-status-removed': {
    severity: 'error',
    description: 'a documented response status code was removed from an operation',
    fix: 'document the status code again (clients handle it, and the deployment may still send it)',
  },
  'success-status-changed': {
    severity: 'error',
    description: 'the success (2xx) status of an operation was replaced by another',
    fix: 'document the old success status again next to the new one, or keep answering the old one',
  },
  'response-media-type-removed': {
    severity: 'error',
    description: 'a response media type was removed (clients asking for it get nothing they understand)',
    fix: 'document the response media type again',
  },
  'response-property-removed': {
    severity: 'error',
    description: 'a required response property was removed',
    fix: 'restore the property (clients read it)',
  },
  'response-optional-property-removed': {
    severity: 'warning',
    description: 'an optional response property was removed',
    fix: 'restore the property, or make sure no client reads it',
  },
  'response-property-became-optional': {
    severity: 'error',
    description: 'a response property that was required is now optional',
    fix: 'list the property under `required` again: clients rely on it being present',
  },
  'response-type-changed': {
    severity: 'error',
    description: 'a response value may now have a type it could not have before (including null)',
    fix: 'restore the previous type (a narrower type is fine, a new one is not)',
  },
  'response-format-changed': {
    severity: 'warning',
    description: 'the `format` of a response value was changed or dropped',
    fix: 'restore the previous format',
  },
  'response-enum-widened': {
    severity: 'warning',
    description: 'a response value may now take a value its enum/const did not allow before',
    fix: 'remove the new value, or make sure clients handle unknown values before they see it',
  },
  'response-variant-added': {
    severity: 'warning',
    description: 'a response oneOf/anyOf gained a branch clients do not know',
    fix: 'remove the branch, or make sure clients handle unknown shapes before they see it',
  },
  'response-header-removed': {
    severity: 'warning',
    description: 'a documented response header was removed',
    fix: 'document the response header again',
  },
  'request-parameter-added-required': {
    severity: 'error',
    description: 'a new required request parameter was added',
    fix: 'make the parameter optional (`required: false`) with a server-side default',
  },
  'request-parameter-became-required': {
    severity: 'error',
    description: 'an optional request parameter became required',
    fix: 'keep the parameter optional (`required: false`)',
  },
  'request-parameter-removed': {
    severity: 'warning',
    description: 'a request parameter was removed (clients still send it)',
    fix: 'restore the parameter (mark it `deprecated: true` instead of removing it)',
  },
  'parameter-renamed': {
    severity: 'error',
    description: 'a query, header or cookie parameter was renamed (same location, same schema, new name)',
    fix: 'keep the old name (add the new one as an optional alias if needed)',
  },
  'path-parameter-renamed': {
    severity: 'warning',
    description: 'a path parameter was renamed (the URL is the same; generated clients change signature)',
    fix: 'keep the old name in the path template and the parameter',
  },
  'parameter-moved': {
    severity: 'error',
    description: 'a parameter moved to another location (`in`: path, query, header, cookie)',
    fix: 'keep the parameter where it was (accept both locations on the server if needed)',
  },
  'request-body-became-required': {
    severity: 'error',
    description: 'a request body was added as required, or an optional body became required',
    fix: 'keep the request body optional (`required: false`)',
  },
  'request-media-type-removed': {
    severity: 'error',
    description: 'a request body media type was removed (clients sending it are rejected)',
    fix: 'accept the request media type again',
  },
  'request-property-added-required': {
    severity: 'error',
    description: 'a new required property was added to a request body',
    fix: 'make the property optional (leave it out of `required`) with a server-side default',
  },
  'request-property-became-required': {
    severity: 'error',
    description: 'an optional request body property became required',
    fix: 'leave the property out of `required`',
  },
  'request-property-removed': {
    severity: 'warning',
    description: 'a request body property was removed (clients still send it)',
    fix: 'restore the property (mark it `deprecated: true` instead of removing it)',
  },
  'request-type-narrowed': {
    severity: 'error',
    description: 'a request value no longer accepts a type it accepted before',
    fix: 'accept the previous type again (a wider type is fine, a narrower one is not)',
  },
  'request-format-narrowed': {
    severity: 'error',
    description: 'a `format` was added to or changed on a request value',
    fix: 'restore the previous format (or none)',
  },
  'request-enum-value-removed': {
    severity: 'error',
    description: 'a request value no longer accepts a value its enum/const allowed (or is newly restricted)',
    fix: 'allow the removed value again',
  },
  'request-variant-removed': {
    severity: 'error',
    description: 'a request oneOf/anyOf lost a branch clients send',
    fix: 'restore the oneOf/anyOf branch',
  },
  'security-requirement-added': {
    severity: 'error',
    description: 'an operation that needed no credentials now requires them',
    fix: 'keep an anonymous alternative (`{}`) in the operation security list',
  },
  'security-requirement-changed': {
    severity: 'error',
    description: 'a security alternative clients used was removed, or its schemes or scopes changed',
    fix: 'keep the previous security alternative in the list next to the new one',
  },
  'security-scheme-changed': {
    severity: 'error',
    description: 'a security scheme used by an operation changed its type, scheme or where the credential goes',
    fix: 'restore the scheme definition, or add the new one under another name as an alternative',
  },
  'operation-added': {
    severity: 'info',
    description: 'a new operation',
    fix: 'nothing to fix',
  },
  'response-status-added': {
    severity: 'info',
    description: 'a new documented response status code',
    fix: 'nothing to fix; make sure clients handle it',
  },
  'operation-deprecated': {
    severity: 'info',
    description: 'an operation was marked deprecated',
    fix: 'nothing to fix; announce the removal date to clients',
  },
} as const satisfies Record<string, BreakingRule>;

export type BreakingRuleId = keyof typeof breakingRules;

export const breakingRuleIds = Object.keys(breakingRules) as BreakingRuleId[];

export function isBreakingRuleId(id: string): id is BreakingRuleId {
  return Object.hasOwn(breakingRules, id);
}
