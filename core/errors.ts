/**
 * The one error catalogue. Every usage or spec problem the tool can run into is a `ToolError` with a
 * stable code (`MCPC_<AREA>_<PROBLEM>`), a one-line message saying what was wrong, and a hint saying how
 * to fix it. The CLI turns these into exit code 2; contract failures are never errors, they are data.
 */

export const errorCatalogue = {
  MCPC_USAGE: 'the command line is not valid',
  MCPC_SPEC_NOT_FOUND: 'a spec file or bundled spec name does not exist',
  MCPC_SPEC_UNREADABLE: 'a spec file exists but cannot be read',
  MCPC_SPEC_PARSE: 'a spec file is not valid YAML or JSON',
  MCPC_SPEC_VERSION: 'a document is not OpenAPI 3.0 or 3.1 (Swagger 2.0, or no version at all)',
  MCPC_SPEC_INVALID: 'a document is OpenAPI but misses something every OpenAPI document must have',
  MCPC_SPEC_REF: 'a $ref cannot be resolved',
  MCPC_SPEC_SCHEMA: 'a schema in the spec cannot be compiled',
  MCPC_CONFIG: 'a configuration, fixtures or baseline file is not valid',
  MCPC_GIT: 'git could not be asked for a file or revision',
  MCPC_TARGET_UNREACHABLE: 'the target URL cannot be reached at all',
  MCPC_IO: 'a file could not be written',
  MCPC_DEPENDENCY: 'an optional package one command needs (Prism, openapi-typescript) is not installed',
  MCPC_REPORT: 'a report given to merge-reports cannot be read, or does not belong with the others',
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
    this.hint = hint;
  }

  /** One line, as the CLI prints it: `MCPC_SPEC_PARSE: specs/x.yaml:3:7: … — fix: …`. */
  toLine(): string {
    // A message that quotes a library's (OpenSSL's, say) may hold line breaks: the line stays one line.
    const line = this.hint ? `${this.code}: ${this.message} — ${this.hint}` : `${this.code}: ${this.message}`;
    return line.replace(/\s*\n\s*/g, ' ');
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}

/** The message of anything thrown, without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
