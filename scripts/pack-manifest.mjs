#!/usr/bin/env node
// `npm pack`/`npm publish` ship package.json as it is on disk when the tarball is made. Biome's native binaries
// are listed as optionalDependencies (see scripts/biome.mjs for why), and npm has no "optional dev dependency",
// so an installed package would pull in a 96 MB formatter its users never run. `strip` (prepack) writes the
// manifest the tarball should carry — without optionalDependencies — keeping the original beside it;
// `restore` (postpack) puts the original back. A strip that finds a kept original restores it first, so an
// interrupted pack never strips twice.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const kept = join(root, '.package.json.before-pack');
const action = process.argv[2];

if (action === 'strip') {
  if (existsSync(kept)) renameSync(kept, manifest);
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  writeFileSync(kept, text);
  delete pkg.optionalDependencies;
  // Renamed into place, never written over: tests running beside `npm pack` read package.json too.
  writeFileSync(`${manifest}.tmp`, `${JSON.stringify(pkg, null, 2)}\n`);
  renameSync(`${manifest}.tmp`, manifest);
} else if (action === 'restore') {
  if (existsSync(kept)) renameSync(kept, manifest);
} else {
  process.stderr.write('MCPC_USAGE: scripts/pack-manifest.mjs strip|restore\n');
  process.exit(2);
}
