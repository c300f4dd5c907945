import type { Operation } from '../core/operations.js';
import type { Handlers, OperationId } from '../generated/operations.js';
import type { Fixtures } from './fixtures.js';
import type { MockState } from './state.js';

/**
 * What every answer of the mock is before it is written: a status, and for a status with content, the media
 * type and the body (an object for JSON, a string for text such as an event stream). Handler results
 * (typed per operation by `generated/operations.ts`) are all of this shape, and so are the answers the mock
 * builds itself (credentials, validation, `Prefer`), which is why one self-check covers them all.
 */
export interface MockResponse {
  status: number;
  contentType?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * An answer made of several documented messages (a JSON-RPC batch answer: one JSON array, or one stream of
   * events): the self-check holds each part to the contract, which documents one message per response.
   */
  parts?: MockResponse[];
  /** Sent without the self-check: a refusal of a served spec file's operation that documents no client error. */
  unchecked?: boolean;
  /** Why the mock refused, for the request log, where the body (a spec's sample error) may not say it. */
  reason?: string;
}

/** What a handler gets besides the validated request: the state it works on and who is asking. */
export interface MockContext {
  state: MockState;
  fixtures: Fixtures;
  /** The API key that authenticated the request (undefined only for an operation without security). */
  principal: string | undefined;
  operation: Operation;
  now(): Date;
  log(line: string): void;
  /** The request's `Accept`, for handlers that answer one of several documented media types. */
  accept?: string | undefined;
  /** Set when the request asked for `Prefer: dynamic=true`: the seed of this request's fresh data (mock/dynamic.ts). */
  dynamicSeed?: number | undefined;
}

/** The handlers of one API, keyed by operationId, each typed by what its operation documents. */
export type ApiHandlers<Ids extends OperationId> = Pick<Handlers<MockContext>, Ids>;

/** Why a request body could not be handed to a handler. */
export type BodyProblem =
  | { kind: 'missing' }
  | { kind: 'content-type'; contentType: string | undefined; expected: string[] }
  | { kind: 'too-large'; limit: string }
  /** `format`: what the body failed to be (default JSON), e.g. `multipart/form-data`. */
  | { kind: 'parse'; message: string; format?: string }
  | {
      kind: 'schema';
      value: unknown;
      violations: string[];
      /** The same compiled validator, for the parts of a value (the messages of a JSON-RPC batch). */
      validate(part: unknown): string[];
    };

/**
 * The few things about an API that the generic layer cannot know from its spec: which keys are valid, the
 * status for a wrong key, how its own error bodies look, and (for JSON-RPC) how a broken body is answered.
 */
export interface ApiBehaviour {
  spec: string;
  title: string;
  /** The keys that authenticate, from the fixtures; `any`: any non-empty credential (a served spec file). */
  apiKeys(fixtures: Fixtures): readonly string[] | 'any';
  /** Status for a credential that is present but wrong: 401 for most APIs, 403 for LangSmith. */
  wrongKeyStatus: 401 | 403;
  /**
   * The API's own error body for a status the mock decides itself (missing or wrong credentials, invalid
   * parameters, a misused `Prefer`, an internal error). Returns undefined when the operation documents no such
   * status, and the generic layer then falls back to a plain JSON error.
   */
  error(operation: Operation, status: number, detail: ErrorDetail, now: Date): MockResponse | undefined;
  /**
   * Operations that answer an unusable body themselves (JSON-RPC answers in a 200, after the same session checks
   * as a valid message); others get a 400. They get the validated parameters and the context a handler gets.
   */
  bodyProblem?: Partial<
    Record<string, (problem: BodyProblem, request: ValidatedParameters, ctx: MockContext) => MockResponse>
  >;
  /** Housekeeping that time does (idle sessions expire), run before the state is shown on `/__mock/state`. */
  sweep?(state: MockState, fixtures: Fixtures, now: Date): void;
  /**
   * The answer to a method a served path does not have (405 with `Allow`), in the API's own shape; without it
   * the generic `{error, message}` body is sent.
   */
  methodNotAllowed?(method: string, path: string, allow: string[], now: Date): MockResponse;
}

/** A request's parameters after validation, by location, as handlers receive them. */
export interface ValidatedParameters {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
}

/** One API served by the mock: its behaviour and its handlers, typed per operation. */
export interface ApiModule<Ids extends OperationId> extends ApiBehaviour {
  handlers: ApiHandlers<Ids>;
}

/** What went wrong, for the error body: a short machine code and a sentence for people. */
export interface ErrorDetail {
  code: string;
  message: string;
}
