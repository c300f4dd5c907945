import { noContentBodyRule } from '../../core/response-rules.js';
import type { Check } from '../types.js';
import { outcomes, viewOf } from './util.js';

export const noContentBody: Check = {
  id: 'no-content-body',
  description: 'a 204 or 304 response carries no body (checked on the headers too, since clients drop the bytes)',
  applies: ({ exchange }) => exchange.response?.status === 204 || exchange.response?.status === 304,
  run({ exchange }) {
    const view = viewOf(exchange);
    return view ? outcomes(noContentBodyRule(view)) : [];
  },
};
