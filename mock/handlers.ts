import type { BundledSpecName } from '../core/paths.js';
import type { Handlers } from '../generated/operations.js';
import { langsmith } from './langsmith/index.js';
import { smithery } from './smithery/index.js';
import { stackone } from './stackone/index.js';
import type { ApiBehaviour, MockContext } from './types.js';

/** Every API the mock serves, by bundled spec name. */
export const apiBehaviours: Record<BundledSpecName, ApiBehaviour> = { stackone, smithery, langsmith };

/**
 * All handlers in one object, checked against the generated `Handlers` type: an operation added to a spec
 * without a handler here, or a handler answering a status its operation does not document, fails `tsc`.
 */
export const handlers: Handlers<MockContext> = {
  ...stackone.handlers,
  ...smithery.handlers,
  ...langsmith.handlers,
};
