// Summarise V8 CPU profiles (`node --cpu-prof`, e.g. from `node bench/run.js --only serving --cpu-prof`): where the
// busy time went, by package (node_modules), by our own compiled module (dist/…), by Node internal module, and the
// top functions. Idle time is left out; the shares are of the busy time, start-up included.
//
//   node bench/profile-summary.js DIR [TOP]     DIR holds *.cpuprofile files, directly or one folder down
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [dir, topArg = '12'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node bench/profile-summary.js DIR [TOP]\n');
  process.exit(2);
}
const top = Number(topArg) || 12;

function profiles(folder) {
  const found = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...profiles(path));
    else if (entry.endsWith('.cpuprofile')) found.push(path);
  }
  return found;
}

/** Where a frame's code comes from: a package, one of our modules, a Node internal, or a V8 pseudo-frame. */
function origin(frame) {
  const url = frame.url;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `ours: ${url.slice(dist + 6)}`;
  if (url.startsWith('node:')) return url;
  return frame.functionName || url || '(unknown)';
}

for (const file of profiles(dir)) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfTime = new Map();
  profile.samples.forEach((id, i) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byOrigin = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const [id, micros] of selfTime) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += micros;
    const from = origin(frame);
    byOrigin.set(from, (byOrigin.get(from) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const show = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `  ${((micros / busy) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  process.stdout.write(
    `${file}\n  busy ${Math.round(busy / 1000)} ms\n by origin:\n${show(byOrigin)}\n by function (self time):\n${show(byFunction)}\n\n`,
  );
}
