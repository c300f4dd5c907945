#!/usr/bin/env node
// Runs Biome's native binary directly. The project depends on the Linux builds only
// (optionalDependencies): the registry this project installs from carries no other platform's
// build, and listing @biomejs/biome — which names all ten as optional dependencies — leaves a
// lock file that `npm ci` rejects. On another platform, say so instead of failing obscurely.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = `@biomejs/cli-${process.platform}-${process.arch}`;
let binary;
try {
  binary = join(dirname(require.resolve(`${pkg}/package.json`)), process.platform === 'win32' ? 'biome.exe' : 'biome');
} catch {
  binary = undefined;
}
if (!binary || !existsSync(binary)) {
  process.stderr.write(
    `MCPC_USAGE: Biome's binary for ${process.platform}-${process.arch} is not installed — this project ships the Linux builds; elsewhere run \`npx @biomejs/biome@2.6.8 ${process.argv.slice(2).join(' ')}\`\n`,
  );
  process.exit(2);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
process.exit(result.status ?? 1);
