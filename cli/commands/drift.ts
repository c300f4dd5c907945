import { ToolError } from '../../core/errors.js';
import type { Output } from '../output.js';

export async function driftCommand(_opts: Record<string, unknown>, _output: Output): Promise<number> {
  throw new ToolError('MCPC_USAGE', 'drift is not available in this build yet');
}
