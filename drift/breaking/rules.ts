/**
 * The breaking-change catalogue. Ids are stable: they appear in reports, annotations and in ignore files, so
 * renaming one breaks every ignore entry that names it. Severities follow oasdiff's model: `error` breaks a
 * client that was correct against the old contract, `warning` may break one (it depends on how strictly it
 * reads responses), `info` is a change worth seeing that breaks nobody.
 *
 * Direction matters: a request is what clients send (narrowing it breaks them), a response is what clients
 * read (widening it breaks them). `readOnly` properties exist only in responses and `writeOnly` ones only in
 * requests, so every schema rule looks at a property only on the side where it exists. In webhooks and
 * callbacks the API is the one sending: their request bodies are read by clients (response rules apply) and
 * their responses are sent by clients (request rules apply).
 *
 * `docs/rules.md` is generated from this table (`mcp-contracts diff --rules`) and held to it by a test.
 */

export type BreakingSeverity = 'error' | 'warning' | 'info';

/** Which side of the wire a rule concerns. */
export type RuleSide = 'request' | 'response' | 'operation' | 'security' | 'webhook';

export interface BreakingRule {
  severity: BreakingSeverity;
  side: RuleSide;
  /** What the rule detects, in one line. */
  description: string;
  /** Why it breaks (or may break, or does not break) clients, in one line. */
  why: string;
  /** How to fix the spec when the change was not intended. */
  fix: string;
  /** The nearest oasdiff rule id(s), or `—` when oasdiff has none. */
  oasdiff: string;
  /** Where this rule's verdict differs from oasdiff's, and why. */
  policy?: string;
}

export const breakingRules = {
  'path-removed': {
    severity: 'error',
    side: 'operation',
    description: 'a path and every operation under it were removed (none of them deprecated)',
    why: 'every call to the path now fails with 404',
    fix: 'restore the path (mark it `deprecated: true` with an `x-sunset` date until clients have moved, then remove it)',
    oasdiff: 'api-path-removed-without-deprecation',
  },
  'operation-removed': {
    severity: 'error',
    side: 'operation',
    description: 'an operation (method on a path that still exists) was removed without being deprecated first',
    why: 'every call to the operation now fails with 404 or 405',
    fix: 'restore the operation (mark it `deprecated: true` with an `x-sunset` date first, remove it later)',
    oasdiff: 'api-removed-without-deprecation',
  },
  'operation-removed-before-sunset': {
    severity: 'error',
    side: 'operation',
    description: 'a deprecated operation was removed before the date in its `x-sunset`',
    why: 'clients were promised the operation until its sunset date and may not have moved yet',
    fix: 'restore the operation until its `x-sunset` date has passed',
    oasdiff: 'api-removed-before-sunset, api-path-removed-before-sunset',
  },
  'deprecated-operation-removed': {
    severity: 'info',
    side: 'operation',
    description: 'a deprecated operation was removed after its `x-sunset` date (or it had none)',
    why: 'the deprecation announced the removal; clients had their notice',
    fix: 'nothing to fix',
    oasdiff: 'api-removed-with-deprecation, api-path-removed-with-deprecation',
    policy:
      'oasdiff reports a removed deprecated path without a readable sunset date as an error (api-path-sunset-parse); here `deprecated: true` is the notice, and an `x-sunset` date only delays the removal',
  },
  'response-status-removed': {
    severity: 'error',
    side: 'response',
    description: 'a documented response status code was removed from an operation',
    why: 'clients handle the status, and the deployment may still send it',
    fix: 'document the status code again (clients handle it, and the deployment may still send it)',
    oasdiff: 'response-success-status-removed, response-non-success-status-removed',
  },
  'success-status-changed': {
    severity: 'error',
    side: 'response',
    description: 'the success (2xx) status of an operation was replaced by another',
    why: 'clients that check for the old success status treat every success as a failure',
    fix: 'document the old success status again next to the new one, or keep answering the old one',
    oasdiff: 'response-success-status-removed',
  },
  'response-media-type-removed': {
    severity: 'error',
    side: 'response',
    description: 'a response media type was removed from a status',
    why: 'clients asking for it (Accept) get nothing they understand',
    fix: 'document the response media type again',
    oasdiff: 'response-media-type-removed',
  },
  'response-property-removed': {
    severity: 'error',
    side: 'response',
    description: 'a required response property was removed (or became writeOnly)',
    why: 'clients read the property and find nothing',
    fix: 'restore the property (clients read it)',
    oasdiff: 'response-required-property-removed, response-required-property-became-write-only',
  },
  'response-optional-property-removed': {
    severity: 'warning',
    side: 'response',
    description: 'an optional response property was removed (or became writeOnly)',
    why: 'clients that use the property when present never see it again',
    fix: 'restore the property, or make sure no client reads it',
    oasdiff: 'response-optional-property-removed, response-optional-property-became-write-only',
  },
  'response-property-became-optional': {
    severity: 'error',
    side: 'response',
    description: 'a response property that was required is now optional',
    why: 'clients rely on the property being present',
    fix: 'list the property under `required` again: clients rely on it being present',
    oasdiff: 'response-property-became-optional',
  },
  'response-type-changed': {
    severity: 'error',
    side: 'response',
    description: 'a response value may now have a type it could not have before (including null)',
    why: 'clients parse the value as the old type',
    fix: 'restore the previous type (a narrower type is fine, a new one is not)',
    oasdiff: 'response-property-type-changed, response-body-type-changed, response-property-became-nullable',
  },
  'response-format-changed': {
    severity: 'warning',
    side: 'response',
    description: 'the `format` of a response value was changed or dropped',
    why: 'clients that parse the format (a date, a uuid) may fail on the new values',
    fix: 'restore the previous format',
    oasdiff: 'response-property-type-changed (format)',
  },
  'response-enum-widened': {
    severity: 'warning',
    side: 'response',
    description: 'a response value may now take a value its enum/const did not allow before',
    why: 'clients with exhaustive handling of the values meet one they do not know',
    fix: 'remove the new value, or make sure clients handle unknown values before they see it',
    oasdiff: 'response-property-enum-value-added',
  },
  'response-variant-added': {
    severity: 'error',
    side: 'response',
    description: 'a response oneOf/anyOf gained a branch clients do not know',
    why: 'clients with exhaustive handling of the shapes (generated unions) meet one they cannot parse',
    fix: 'remove the branch, or make sure clients handle unknown shapes before they see it',
    oasdiff: 'response-body-one-of-added, response-property-one-of-added, response-property-any-of-added',
    policy: 'an error here, not a note: generated clients decode responses into closed unions and fail on a new branch',
  },
  'response-discriminator-mapping-added': {
    severity: 'error',
    side: 'response',
    description: 'a response discriminator mapping gained a value',
    why: 'clients switch on the discriminator value and meet one they do not know',
    fix: 'remove the mapping value, or make sure clients handle unknown values before they see it',
    oasdiff: 'response-property-discriminator-mapping-added, response-body-discriminator-mapping-added',
  },
  'response-required-header-removed': {
    severity: 'error',
    side: 'response',
    description: 'a required response header was removed',
    why: 'clients read the header and find nothing',
    fix: 'document the response header again, as required',
    oasdiff: 'required-response-header-removed',
  },
  'response-header-removed': {
    severity: 'warning',
    side: 'response',
    description: 'an optional response header was removed',
    why: 'clients that use the header when present never see it again',
    fix: 'document the response header again',
    oasdiff: 'optional-response-header-removed',
  },
  'response-header-became-optional': {
    severity: 'error',
    side: 'response',
    description: 'a required response header is now optional',
    why: 'clients rely on the header being present',
    fix: 'mark the header `required: true` again',
    oasdiff: 'response-header-became-optional',
  },
  'response-max-length-increased': {
    severity: 'warning',
    side: 'response',
    description: 'a response value may now be longer (maxLength raised or dropped)',
    why: 'clients that size storage or fields by the old maxLength may truncate or reject values',
    fix: 'restore the previous maxLength',
    oasdiff: 'response-property-max-length-increased, response-property-max-length-unset',
  },
  'response-min-length-decreased': {
    severity: 'warning',
    side: 'response',
    description: 'a response value may now be shorter (minLength lowered or dropped)',
    why: 'clients that rely on a non-empty or minimum-length value may fail',
    fix: 'restore the previous minLength',
    oasdiff: 'response-property-min-length-decreased',
  },
  'response-maximum-increased': {
    severity: 'warning',
    side: 'response',
    description: 'a response number may now be larger (maximum or exclusiveMaximum raised or dropped)',
    why: 'clients that store the value in a narrower type, or range-check it, may fail',
    fix: 'restore the previous maximum',
    oasdiff: 'response-property-max-increased, response-property-exclusive-max-increased',
  },
  'response-minimum-decreased': {
    severity: 'warning',
    side: 'response',
    description: 'a response number may now be smaller (minimum or exclusiveMinimum lowered or dropped)',
    why: 'clients that assume the old lower bound (unsigned, positive) may fail',
    fix: 'restore the previous minimum',
    oasdiff: 'response-property-min-decreased, response-property-exclusive-min-decreased',
  },
  'response-max-items-increased': {
    severity: 'warning',
    side: 'response',
    description: 'a response array may now hold more items (maxItems raised or dropped)',
    why: 'clients that size buffers or pages by the old maxItems may fail',
    fix: 'restore the previous maxItems',
    oasdiff: '—',
  },
  'response-min-items-decreased': {
    severity: 'warning',
    side: 'response',
    description: 'a response array may now hold fewer items (minItems lowered or dropped)',
    why: 'clients that read the first item without checking may fail on an empty array',
    fix: 'restore the previous minItems',
    oasdiff: 'response-property-min-items-decreased, response-property-min-items-unset',
  },
  'response-pattern-changed': {
    severity: 'warning',
    side: 'response',
    description: 'a response value lost or changed its `pattern` (compared as text)',
    why: 'clients that parse the value by its old pattern may fail on the new values',
    fix: 'restore the previous pattern',
    oasdiff: 'response-property-pattern-changed, response-property-pattern-removed',
  },
  'request-parameter-added-required': {
    severity: 'error',
    side: 'request',
    description: 'a new required request parameter was added',
    why: 'clients do not send it, so every call is rejected',
    fix: 'make the parameter optional (`required: false`) with a server-side default',
    oasdiff: 'new-required-request-parameter',
  },
  'request-parameter-became-required': {
    severity: 'error',
    side: 'request',
    description: 'an optional request parameter became required',
    why: 'clients that leave it out are rejected',
    fix: 'keep the parameter optional (`required: false`)',
    oasdiff: 'request-parameter-became-required',
  },
  'request-parameter-removed': {
    severity: 'warning',
    side: 'request',
    description: 'a request parameter that was not deprecated was removed',
    why: 'clients still send it; a strict server rejects it, a lenient one ignores what they asked for',
    fix: 'restore the parameter (mark it `deprecated: true` with an `x-sunset` date instead of removing it)',
    oasdiff: 'request-parameter-removed',
  },
  'request-parameter-removed-before-sunset': {
    severity: 'error',
    side: 'request',
    description: 'a deprecated request parameter was removed before the date in its `x-sunset`',
    why: 'clients were promised the parameter until its sunset date and may still send it',
    fix: 'restore the parameter until its `x-sunset` date has passed',
    oasdiff: 'request-parameter-removed-before-sunset',
  },
  'deprecated-parameter-removed': {
    severity: 'info',
    side: 'request',
    description: 'a deprecated request parameter was removed after its `x-sunset` date (or it had none)',
    why: 'the deprecation announced the removal; clients had their notice',
    fix: 'nothing to fix',
    oasdiff: 'request-parameter-removed-with-deprecation',
  },
  'parameter-renamed': {
    severity: 'error',
    side: 'request',
    description: 'a query, header or cookie parameter was renamed (same location, same schema, new name)',
    why: 'clients send the old name, which the server no longer reads',
    fix: 'keep the old name (add the new one as an optional alias if needed)',
    oasdiff: 'request-parameter-removed + new-required-request-parameter',
  },
  'path-parameter-renamed': {
    severity: 'warning',
    side: 'request',
    description: 'a path parameter was renamed (the URL is the same; generated clients change signature)',
    why: 'the wire is unchanged, but code generated from the spec no longer compiles',
    fix: 'keep the old name in the path template and the parameter',
    oasdiff: '—',
  },
  'parameter-moved': {
    severity: 'error',
    side: 'request',
    description: 'a parameter moved to another location (`in`: path, query, header, cookie)',
    why: 'clients send it where the server no longer looks',
    fix: 'keep the parameter where it was (accept both locations on the server if needed)',
    oasdiff: 'request-parameter-removed + new-request-parameter',
  },
  'request-parameter-style-changed': {
    severity: 'error',
    side: 'request',
    description: 'a parameter changed its serialisation (`style` or `explode`, defaults included)',
    why: 'clients encode arrays and objects the old way, which the server now reads differently',
    fix: 'restore the previous style and explode',
    oasdiff: '—',
  },
  'request-default-changed': {
    severity: 'error',
    side: 'request',
    description: 'the default of a request parameter or property was changed or dropped',
    why: 'clients that leave the value out relied on the old default and now get other behaviour',
    fix: 'restore the previous default',
    oasdiff:
      'request-parameter-default-value-changed, request-parameter-default-value-removed, request-property-default-value-changed',
  },
  'request-body-became-required': {
    severity: 'error',
    side: 'request',
    description: 'a request body was added as required, or an optional body became required',
    why: 'clients that send no body are rejected',
    fix: 'keep the request body optional (`required: false`)',
    oasdiff: 'request-body-added-required, request-body-became-required',
  },
  'request-body-removed': {
    severity: 'error',
    side: 'request',
    description: 'an operation no longer takes a request body',
    why: 'clients still send one; the server ignores it or rejects it (400/415)',
    fix: 'accept the request body again (mark the operation deprecated and add a new one instead)',
    oasdiff: 'request-body-removed',
  },
  'request-media-type-removed': {
    severity: 'error',
    side: 'request',
    description: 'a request body media type was removed',
    why: 'clients sending it are rejected with 415',
    fix: 'accept the request media type again',
    oasdiff: 'request-body-media-type-removed',
  },
  'request-property-added-required': {
    severity: 'error',
    side: 'request',
    description: 'a new required property was added to a request body (readOnly properties excluded)',
    why: 'clients do not send it, so every call is rejected',
    fix: 'make the property optional (leave it out of `required`) with a server-side default',
    oasdiff: 'new-required-request-property',
  },
  'request-property-became-required': {
    severity: 'error',
    side: 'request',
    description: 'an optional request body property became required (readOnly properties excluded)',
    why: 'clients that leave it out are rejected',
    fix: 'leave the property out of `required`',
    oasdiff: 'request-property-became-required',
  },
  'request-property-removed': {
    severity: 'warning',
    side: 'request',
    description: 'a request body property was removed (or became readOnly)',
    why: 'clients still send it; a strict server rejects it, a lenient one ignores it',
    fix: 'restore the property (mark it `deprecated: true` instead of removing it)',
    oasdiff: 'request-property-removed, request-optional-property-became-read-only',
  },
  'request-type-narrowed': {
    severity: 'error',
    side: 'request',
    description: 'a request value no longer accepts a type it accepted before',
    why: 'clients sending the old type are rejected',
    fix: 'accept the previous type again (a wider type is fine, a narrower one is not)',
    oasdiff: 'request-property-type-changed, request-parameter-type-changed, request-body-type-changed',
  },
  'request-format-narrowed': {
    severity: 'error',
    side: 'request',
    description: 'a `format` was added to or changed on a request value',
    why: 'values clients sent before may not match the new format',
    fix: 'restore the previous format (or none)',
    oasdiff: 'request-property-type-changed (format)',
  },
  'request-enum-value-removed': {
    severity: 'error',
    side: 'request',
    description: 'a request value no longer accepts a value its enum/const allowed (or is newly restricted)',
    why: 'clients sending the removed value are rejected',
    fix: 'allow the removed value again',
    oasdiff: 'request-property-enum-value-removed, request-parameter-enum-value-removed, request-property-became-enum',
  },
  'request-variant-removed': {
    severity: 'error',
    side: 'request',
    description: 'a request oneOf/anyOf lost a branch clients send',
    why: 'clients sending that shape are rejected',
    fix: 'restore the oneOf/anyOf branch',
    oasdiff: 'request-body-one-of-removed, request-property-one-of-removed, request-property-any-of-removed',
  },
  'request-discriminator-mapping-removed': {
    severity: 'error',
    side: 'request',
    description: 'a request discriminator mapping lost a value',
    why: 'clients sending that discriminator value are rejected',
    fix: 'restore the mapping value',
    oasdiff: 'request-property-discriminator-mapping-deleted, request-body-discriminator-mapping-deleted',
  },
  'discriminator-mapping-changed': {
    severity: 'error',
    side: 'operation',
    description: 'a discriminator value now maps to another schema',
    why: 'the same value now means another shape, on whichever side reads it',
    fix: 'map the value to its previous schema again (add a new value for the new schema)',
    oasdiff: 'request-property-discriminator-mapping-changed, response-property-discriminator-mapping-changed',
  },
  'discriminator-property-changed': {
    severity: 'error',
    side: 'operation',
    description: 'a discriminator now reads another property (`propertyName` changed)',
    why: 'readers look for the shape in a property the writer no longer sets',
    fix: 'restore the previous `propertyName`',
    oasdiff:
      'request-property-discriminator-property-name-changed, response-property-discriminator-property-name-changed',
  },
  'request-max-length-decreased': {
    severity: 'error',
    side: 'request',
    description: 'a request value must now be shorter (maxLength lowered or added)',
    why: 'clients sending values within the old limit are rejected',
    fix: 'restore the previous maxLength (a higher one is fine)',
    oasdiff:
      'request-property-max-length-decreased, request-parameter-max-length-decreased, request-property-max-length-set',
  },
  'request-min-length-increased': {
    severity: 'error',
    side: 'request',
    description: 'a request value must now be longer (minLength raised or added)',
    why: 'clients sending shorter values that were valid are rejected',
    fix: 'restore the previous minLength (a lower one is fine)',
    oasdiff: 'request-property-min-length-increased, request-parameter-min-length-increased',
  },
  'request-maximum-decreased': {
    severity: 'error',
    side: 'request',
    description: 'a request number must now be smaller (maximum or exclusiveMaximum lowered, made exclusive, or added)',
    why: 'clients sending values within the old range are rejected',
    fix: 'restore the previous maximum',
    oasdiff:
      'request-property-max-decreased, request-parameter-max-decreased, request-property-exclusive-max-decreased, request-parameter-max-set',
  },
  'request-minimum-increased': {
    severity: 'error',
    side: 'request',
    description: 'a request number must now be larger (minimum or exclusiveMinimum raised, made exclusive, or added)',
    why: 'clients sending values within the old range are rejected',
    fix: 'restore the previous minimum',
    oasdiff:
      'request-property-min-increased, request-parameter-min-increased, request-property-exclusive-min-increased, request-parameter-min-set',
  },
  'request-max-items-decreased': {
    severity: 'error',
    side: 'request',
    description: 'a request array may now hold fewer items (maxItems lowered or added)',
    why: 'clients sending as many items as before are rejected',
    fix: 'restore the previous maxItems',
    oasdiff: 'request-parameter-max-items-decreased',
  },
  'request-min-items-increased': {
    severity: 'error',
    side: 'request',
    description: 'a request array must now hold more items (minItems raised or added)',
    why: 'clients sending as few items as before are rejected',
    fix: 'restore the previous minItems',
    oasdiff:
      'request-property-min-items-increased, request-parameter-min-items-increased, request-property-min-items-set',
  },
  'request-multiple-of-changed': {
    severity: 'error',
    side: 'request',
    description: 'a request number must now be a multiple of a value the old multiples are not all multiples of',
    why: 'clients sending values that were valid multiples are rejected',
    fix: 'restore the previous multipleOf (a divisor of it is fine)',
    oasdiff: '—',
  },
  'request-pattern-added': {
    severity: 'error',
    side: 'request',
    description: 'a request value that had no `pattern` now has one',
    why: 'values clients sent before may not match it',
    fix: 'remove the pattern',
    oasdiff: 'request-property-pattern-added, request-parameter-pattern-added',
  },
  'request-pattern-changed': {
    severity: 'warning',
    side: 'request',
    description: 'the `pattern` of a request value changed (compared as text, never compiled)',
    why: 'the new pattern may reject values the old one accepted; whether it does cannot be decided in general',
    fix: 'restore the previous pattern, or check that the new one accepts everything the old one did',
    oasdiff: 'request-property-pattern-changed, request-parameter-pattern-changed',
  },
  'security-requirement-added': {
    severity: 'error',
    side: 'security',
    description: 'an operation that needed no credentials now requires them',
    why: 'anonymous clients are now rejected with 401',
    fix: 'keep an anonymous alternative (`{}`) in the operation security list',
    oasdiff: 'api-security-added',
    policy:
      'oasdiff rates adding a security requirement as info (it adds an alternative); here an operation that needed no credentials and now needs some rejects every client that sent none, so it is an error. Adding an alternative next to `{}` is no finding',
  },
  'security-requirement-changed': {
    severity: 'error',
    side: 'security',
    description: 'a security alternative clients used was removed, or its schemes changed',
    why: 'clients authenticating the old way are rejected',
    fix: 'keep the previous security alternative in the list next to the new one',
    oasdiff: 'api-security-removed, api-global-security-removed',
  },
  'security-scope-added': {
    severity: 'error',
    side: 'security',
    description: 'an operation now needs an OAuth/OpenID scope it did not need before',
    why: 'tokens issued with the old scopes are rejected with 403',
    fix: 'drop the new scope from the requirement (or keep the old requirement as an alternative)',
    oasdiff: 'api-security-scope-added, api-global-security-scope-added',
  },
  'security-scheme-changed': {
    severity: 'error',
    side: 'security',
    description: 'a security scheme used by an operation changed its type, scheme or where the credential goes',
    why: 'clients send the credential the old way, which the server no longer reads',
    fix: 'restore the scheme definition, or add the new one under another name as an alternative',
    oasdiff: 'api-security-component-type-changed',
    policy:
      'oasdiff rates a changed security component as info; here a scheme an operation uses is part of its contract',
  },
  'security-scheme-removed': {
    severity: 'error',
    side: 'security',
    description: 'a security scheme an operation used is no longer defined',
    why: 'clients cannot authenticate the way the operation still asks for',
    fix: 'define the scheme again under `components.securitySchemes`',
    oasdiff: 'api-security-component-removed',
    policy: 'oasdiff rates a removed security component as info; here it is an error when an operation still needs it',
  },
  'webhook-removed': {
    severity: 'warning',
    side: 'webhook',
    description: 'a webhook (or one of its methods) is no longer sent',
    why: 'receivers that depend on the event stop hearing about it, without any error',
    fix: 'restore the webhook (deprecate it first)',
    oasdiff: '—',
  },
  'callback-removed': {
    severity: 'warning',
    side: 'webhook',
    description: 'an operation no longer makes a callback (or one of its methods)',
    why: 'receivers that depend on the callback stop hearing about it, without any error',
    fix: 'restore the callback (deprecate it first)',
    oasdiff: '—',
  },
  'operation-added': {
    severity: 'info',
    side: 'operation',
    description: 'a new operation',
    why: 'nothing breaks: no client calls it yet',
    fix: 'nothing to fix',
    oasdiff: 'endpoint-added',
  },
  'response-status-added': {
    severity: 'info',
    side: 'response',
    description: 'a new documented response status code',
    why: 'nothing breaks by documenting it; clients may want to handle it',
    fix: 'nothing to fix; make sure clients handle it',
    oasdiff: 'response-success-status-added, response-non-success-status-added',
  },
  'operation-deprecated': {
    severity: 'info',
    side: 'operation',
    description: 'an operation was marked deprecated',
    why: 'nothing breaks yet; clients should plan to move',
    fix: 'nothing to fix; announce the removal date to clients (`x-sunset`)',
    oasdiff: 'endpoint-deprecated, endpoint-deprecated-with-sunset',
  },
} as const satisfies Record<string, BreakingRule>;

export type BreakingRuleId = keyof typeof breakingRules;

export const breakingRuleIds = Object.keys(breakingRules) as BreakingRuleId[];

export function isBreakingRuleId(id: string): id is BreakingRuleId {
  return Object.hasOwn(breakingRules, id);
}
