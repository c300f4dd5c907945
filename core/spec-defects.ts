import { getAtPointer } from './json-pointer.js';
import type { Operation, OperationIndex } from './operations.js';
import { compilePattern } from './regexp-dialect.js';
import type { LoadedSpec } from './spec.js';

/**
 * Defects of a spec itself, found once and used twice: `lint` reports them as rule violations, and
 * `conformance` states once per run how it treated each, so that a spec defect is never silently turned
 * into a false failure of the target, nor silently hidden.
 */
export type SpecDefectRule =
  | 'undefined-security-scheme'
  | 'nullable-in-openapi-3.1'
  | 'secured-operation-without-401'
  | 'operation-without-success-status'
  | 'operation-without-client-error'
  | 'error-status-without-schema'
  | 'ignored-header-parameter'
  | 'pattern-not-ecmascript';

export interface SpecDefect {
  rule: SpecDefectRule;
  severity: 'error' | 'warning' | 'info';
  pointer: string;
  message: string;
  /** What mcp-contracts does about it when checking a target against this spec. */
  treatment: string;
}

export const specDefectRules: Record<SpecDefectRule, { severity: SpecDefect['severity']; description: string }> = {
  'undefined-security-scheme': {
    severity: 'error',
    description: 'a security requirement names a scheme that components.securitySchemes does not define',
  },
  'nullable-in-openapi-3.1': {
    severity: 'warning',
    description: "`nullable` is an OpenAPI 3.0 keyword; in 3.1 it means nothing (write `type: [T, 'null']`)",
  },
  'secured-operation-without-401': {
    severity: 'warning',
    description: 'an operation requires credentials but documents no 401 (nor 4XX/default) for a request without them',
  },
  'operation-without-success-status': {
    severity: 'warning',
    description: 'an operation documents no success status (no 2xx or 3xx, nor 2XX/3XX/default)',
  },
  'operation-without-client-error': {
    severity: 'warning',
    description: 'an operation documents no client error (no 4xx, nor 4XX/default), so no rejection is documented',
  },
  'error-status-without-schema': {
    severity: 'warning',
    description: 'a 4xx/5xx response documents no body schema, so error bodies cannot be checked',
  },
  'ignored-header-parameter': {
    severity: 'info',
    description: 'OpenAPI says a header parameter named Accept, Content-Type or Authorization SHALL be ignored',
  },
  'pattern-not-ecmascript': {
    severity: 'warning',
    description:
      "a `pattern` is not a valid ECMA-262 (unicode) regular expression, as OpenAPI and JSON Schema require (e.g. `[\\w-./:]`: escape the '-')",
  },
};

/** Every schema `pattern` of a document that JavaScript's unicode mode cannot compile, with its pointer. */
function nonEcmaPatterns(node: unknown, pointer: string, out: Array<{ pointer: string; pattern: string }>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) nonEcmaPatterns(item, `${pointer}/${i}`, out);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    // Examples are data, not schemas: a property called `pattern` in one means nothing.
    if (key === 'example' || key === 'examples' || key === 'x-examples') continue;
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (key === 'pattern' && typeof value === 'string') {
      if (compilePattern(value).dialect !== 'unicode') out.push({ pointer: at, pattern: value });
    } else nonEcmaPatterns(value, at, out);
  }
}

/** The gaps of an operation's responses that a target's answer can fall into without the target being wrong. */
export type SpecGapRule =
  | 'secured-operation-without-401'
  | 'operation-without-success-status'
  | 'operation-without-client-error';

/**
 * Which response gaps an operation has: found here once, so that lint reports them and conformance files an
 * answer that falls into one as the spec's gap (`spec-gap`), not as the target's drift.
 */
export function specGapsOf(op: Operation): Set<SpecGapRule> {
  const gaps = new Set<SpecGapRule>();
  const has = (test: (status: string) => boolean) => op.responses.some((r) => test(r.status.toUpperCase()));
  const hasDefault = has((s) => s === 'DEFAULT');
  const secured = op.security.length > 0 && op.security.every((alternative) => alternative.length > 0);
  if (secured && !has((s) => s === '401' || s === '4XX') && !hasDefault) gaps.add('secured-operation-without-401');
  if (!has((s) => s.startsWith('2') || s.startsWith('3')) && !hasDefault) gaps.add('operation-without-success-status');
  if (!has((s) => s.startsWith('4')) && !hasDefault) gaps.add('operation-without-client-error');
  return gaps;
}

export function detectSpecDefects(spec: LoadedSpec, index: OperationIndex, nullableIn31: string[]): SpecDefect[] {
  const defects: SpecDefect[] = [];
  const add = (rule: SpecDefectRule, pointer: string, message: string, treatment: string) =>
    defects.push({ rule, severity: specDefectRules[rule].severity, pointer, message, treatment });

  const reportedSchemes = new Set<string>();
  const rootSecurity = Array.isArray(spec.document.security) ? spec.document.security : [];
  const checkRequirements = (requirements: unknown[], pointer: string, where: string) => {
    requirements.forEach((requirement, i) => {
      if (!requirement || typeof requirement !== 'object') return;
      for (const scheme of Object.keys(requirement)) {
        if (index.securitySchemes.has(scheme)) continue;
        const key = `${pointer}/${i}/${scheme}`;
        if (reportedSchemes.has(key)) continue;
        reportedSchemes.add(key);
        add(
          'undefined-security-scheme',
          key,
          `${where} requires security scheme '${scheme}', which components.securitySchemes does not define`,
          `the alternative that needs '${scheme}' cannot be satisfied and is skipped; credentials are sent for the other alternatives only`,
        );
      }
    });
  };
  checkRequirements(rootSecurity, '/security', 'the document');

  for (const op of index.operations) {
    const rawOp = getAtPointer(spec.document, op.pointer) as Record<string, unknown> | undefined;
    if (Array.isArray(rawOp?.security)) checkRequirements(rawOp.security, `${op.pointer}/security`, op.label);

    const gaps = specGapsOf(op);
    if (gaps.has('secured-operation-without-401')) {
      add(
        'secured-operation-without-401',
        `${op.pointer}/responses`,
        `${op.label} requires credentials but documents no 401 response`,
        "a 401/403 to a request without or with wrong credentials is reported as the spec's gap (spec-gap: a warning; a failure only with --strict), not as the target's drift",
      );
    }
    if (gaps.has('operation-without-success-status')) {
      add(
        'operation-without-success-status',
        `${op.pointer}/responses`,
        `${op.label} documents no success status (2xx or 3xx)`,
        "a 2xx answer is reported as the spec's gap (spec-gap: a warning; a failure only with --strict), not as the target's drift",
      );
    }
    if (gaps.has('operation-without-client-error')) {
      add(
        'operation-without-client-error',
        `${op.pointer}/responses`,
        `${op.label} documents no client error (4xx)`,
        "a 4xx answer is reported as the spec's gap (spec-gap: a warning; a failure only with --strict), not as the target's drift",
      );
    }
    for (const response of op.responses) {
      const code = Number(response.status);
      const isError = response.status.startsWith('4') || response.status.startsWith('5') || (code >= 400 && code < 600);
      if (!isError) continue;
      if (response.content.length === 0 || response.content.every((m) => !m.schemaPointer)) {
        add(
          'error-status-without-schema',
          response.pointer,
          `${op.label} documents ${response.status} without a body schema`,
          `a ${response.status} body is not validated; its status and content type still are`,
        );
      }
    }
    for (const p of op.parameters) {
      if (!p.ignoredByOpenApi) continue;
      add(
        'ignored-header-parameter',
        p.pointer,
        `${op.label} declares header parameter '${p.name}', which OpenAPI tools must ignore`,
        `no cases are planned for '${p.name}'; the documented response media types decide what is sent and expected`,
      );
    }
  }

  for (const pointer of nullableIn31) {
    add(
      'nullable-in-openapi-3.1',
      pointer,
      `\`nullable\` at ${pointer} has no meaning in an OpenAPI ${spec.document.openapi} document`,
      "read as the author meant it (OpenAPI 3.0's nullable): null is accepted there, so a target is not failed for sending null",
    );
  }
  const patterns: Array<{ pointer: string; pattern: string }> = [];
  nonEcmaPatterns(spec.document, '', patterns);
  for (const { pointer, pattern } of patterns) {
    const legacy = compilePattern(pattern).dialect === 'legacy';
    add(
      'pattern-not-ecmascript',
      pointer,
      `pattern ${JSON.stringify(pattern)} is not a valid ECMA-262 unicode regular expression`,
      legacy
        ? 'it is applied as JavaScript reads it without the u flag (the dialect it compiles in), never fatal'
        : 'no JavaScript dialect compiles it, so it constrains nothing: values are not tested against it',
    );
  }
  return defects;
}
