import type { DriftStep } from '../types.js';

/** What a step computes; the runner adds its id, title and duration. */
export type StepOutcome = Pick<DriftStep, 'status' | 'summary' | 'notes' | 'checks'>;
