import { findResponse, type Operation } from '../../core/operations.js';
import type { ErrorDetail, MockResponse } from '../types.js';

/** The statuses StackOne documents with its `{statusCode, message, timestamp}` error body. */
export type StackOneErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 422 | 429 | 500 | 501 | 502;

/** The shape shared by every StackOne error schema (`BadRequestResponse`, `NotFoundResponse`, …). */
export interface StackOneErrorBody {
  statusCode: number;
  message: string;
  timestamp: string;
}

export interface StackOneErrorResponse<S extends StackOneErrorStatus> {
  status: S;
  contentType: 'application/json';
  body: StackOneErrorBody;
  headers?: Record<string, string>;
}

/**
 * A StackOne error answer. 408 and 429 carry `Retry-After` (documented on both in the working contract), in
 * seconds, so a client that honours it retries soon instead of guessing.
 */
export function stackOneError<S extends StackOneErrorStatus>(
  status: S,
  message: string,
  now: Date = new Date(),
): StackOneErrorResponse<S> {
  const response: StackOneErrorResponse<S> = {
    status,
    contentType: 'application/json',
    body: stackOneErrorBody(status, message, now),
  };
  if (status === 408 || status === 429) response.headers = { 'Retry-After': '1' };
  return response;
}

/** The body alone, also for statuses outside the contract (a 405 for a method `/mcp` does not have). */
export function stackOneErrorBody(status: number, message: string, now: Date): StackOneErrorBody {
  return { statusCode: status, message, timestamp: now.toISOString() };
}

const stackOneErrorStatuses = new Set<number>([400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502]);

export function stackOneErrorFor(
  operation: Operation,
  status: number,
  detail: ErrorDetail,
  now: Date,
): MockResponse | undefined {
  if (!stackOneErrorStatuses.has(status) || !findResponse(operation, status)) return undefined;
  return stackOneError(status as StackOneErrorStatus, detail.message, now);
}
