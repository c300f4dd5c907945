import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // test/slow/ (third-party specs under Prism, GitHub's spec): `npm run test:slow`, vitest.slow.config.ts
    exclude: ['node_modules/**', 'dist/**', 'test/slow/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});

export default config;
