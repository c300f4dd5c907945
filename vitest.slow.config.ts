import { defineConfig } from 'vitest/config';
import { config } from './vitest.config.js';

/** `npm run test:slow`: the suites too slow for `npm test` (Prism on third-party specs, GitHub's whole spec). */
export default defineConfig({
  test: {
    ...config.test,
    include: ['test/slow/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
