// `npm run bench`, phase `scale`: the CLI on GitHub's api.github.com spec (`@octokit/openapi`, a devDependency):
// `conformance --dry-run` of the whole spec and of one tag, `lint`, and how both grow over subsets of 50, 200 and 500
// operations cut by `sliceSpec` below into a temporary folder (never committed). Each command runs in a child
// process under bench/measured.js, which reports its wall time, CPU time and peak RSS.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const githubSpec = join(root, 'node_modules/@octokit/openapi/generated/api.github.com.json');
const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * The first `count` operations of the spec (in document order, whole path items cut at the count), with the
 * components they reach through `$ref` (transitively) and nothing else, so that bytes follow operations.
 */
export function sliceSpec(document, count) {
  const paths = {};
  let taken = 0;
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (taken >= count) break;
    const kept = {};
    for (const [key, value] of Object.entries(item)) {
      if (methods.has(key)) {
        if (taken >= count) continue;
        taken++;
      }
      kept[key] = value;
    }
    paths[path] = kept;
  }
  const components = {};
  const pending = [paths];
  const seen = new Set();
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node || typeof node !== 'object') continue;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/') && !seen.has(node.$ref)) {
      seen.add(node.$ref);
      const [, , kind, name] = node.$ref.split('/');
      const value = document.components?.[kind]?.[name];
      if (value !== undefined) {
        components[kind] ??= {};
        components[kind][name] = value;
        pending.push(value);
      }
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') pending.push(value);
  }
  if (document.components?.securitySchemes) components.securitySchemes = document.components.securitySchemes;
  const { 'x-webhooks': _webhooks, ...rest } = document;
  return { ...rest, paths, components };
}

function measured(args, timeoutMs) {
  const out = join(tmpdir(), `mcpc-bench-measured-${process.pid}-${Date.now()}.json`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bench/measured.js', out, 'bin/mcp-contracts.js', ...args],
      { cwd: root, timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error) => {
        try {
          const figures = JSON.parse(readFileSync(out, 'utf8'));
          rmSync(out, { force: true });
          resolve(figures);
        } catch {
          reject(error ?? new Error(`no figures from ${args.join(' ')}`));
        }
      },
    );
  });
}

const dryRun = (spec, extra = []) => [
  'conformance',
  '--dry-run',
  '--spec',
  spec,
  '--target',
  'http://127.0.0.1:9',
  ...extra,
];
const lint = (spec) => ['lint', '--no-baseline', '--format', 'json', spec];

export async function scalePhase(options, log) {
  const document = JSON.parse(readFileSync(githubSpec, 'utf8'));
  const operations = Object.values(document.paths).reduce(
    (n, item) => n + Object.keys(item).filter((k) => methods.has(k)).length,
    0,
  );
  const dir = mkdtempSync(join(tmpdir(), 'mcpc-bench-scale-'));
  try {
    const sizes = [...options.scaleSizes.filter((n) => n < operations), operations];
    const growth = [];
    for (const size of sizes) {
      const file = size === operations ? githubSpec : join(dir, `github-${size}.json`);
      if (size !== operations) writeFileSync(file, JSON.stringify(sliceSpec(document, size), null, 2));
      const megabytes = statSync(file).size / 1e6;
      log(`scale: ${size} operations (${round(megabytes, 1)} MB): dry run…`);
      const dry = await measured(dryRun(file), 300_000);
      log(`scale: ${size} operations: lint…`);
      const linted = await measured(lint(file), 600_000);
      growth.push({ operations: size, megabytes: round(megabytes, 2), dryRun: dry, lint: linted });
    }
    log('scale: dry run --tag issues…');
    const tag = await measured(dryRun(githubSpec, ['--tag', 'issues']), 300_000);
    // The same spec written as YAML (teams keep big specs in YAML too): read by js-yaml, not JSON.parse.
    log('scale: the spec as YAML: dry run, whole and --tag issues…');
    const { stringify } = await import('yaml');
    const yamlFile = join(dir, 'api.github.com.yaml');
    writeFileSync(yamlFile, stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 }));
    const yaml = {
      megabytes: round(statSync(yamlFile).size / 1e6, 2),
      dryRun: await measured(dryRun(yamlFile), 300_000),
      tag: await measured(dryRun(yamlFile, ['--tag', 'issues']), 300_000),
    };
    const whole = growth.at(-1);
    return { spec: '@octokit/openapi api.github.com.json', operations, growth, tag, whole, yaml };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms) => `${round(ms / 1000, 1)} s`;

export function renderScale(scale, load) {
  const { whole, tag, growth } = scale;
  const at50 = load?.summary?.[50];
  const met = (ok) => (ok ? 'met' : '**not met**');
  const out = [
    `### Big specs: GitHub's ${scale.spec} (${scale.operations.toLocaleString('en-US')} operations)`,
    '',
    'Each command in a child process (`node bench/measured.js OUT bin/mcp-contracts.js …`): wall time, CPU time (user + system, all threads) and peak RSS. The dry runs add `--target http://127.0.0.1:9` (nothing is sent); lint runs `--no-baseline --format json`. The subsets keep the first N operations and the components they reach; the last row is the published file as is (with its 270 `x-webhooks`).',
    '',
    '| measure | figure | target | |',
    '| --- | --- | --- | --- |',
    `| \`conformance --dry-run\`, whole spec | ${s(whole.dryRun.wallMs)} wall, ${s(whole.dryRun.cpuMs)} CPU, ${whole.dryRun.maxRssMb} MB | ≤ 4 s, ≤ 350 MB | ${met(whole.dryRun.wallMs <= 4000 && whole.dryRun.maxRssMb <= 350)} |`,
    `| \`conformance --dry-run --tag issues\` | ${s(tag.wallMs)} wall, ${s(tag.cpuMs)} CPU, ${tag.maxRssMb} MB | ≤ 1.5 s | ${met(tag.wallMs <= 1500)} |`,
    `| \`lint\` | ${s(whole.lint.wallMs)} wall, ${s(whole.lint.cpuMs)} CPU, ${whole.lint.maxRssMb} MB | ≤ 30 s, ≤ 1 GB | ${met(whole.lint.wallMs <= 30_000 && whole.lint.maxRssMb <= 1024)} |`,
  ];
  if (scale.yaml) {
    const y = scale.yaml;
    out.push(
      `| the same spec as YAML (${y.megabytes} MB): \`conformance --dry-run\` | ${s(y.dryRun.wallMs)} wall, ${s(y.dryRun.cpuMs)} CPU, ${y.dryRun.maxRssMb} MB | none; reported | |`,
      `| the same spec as YAML: \`--dry-run --tag issues\` | ${s(y.tag.wallMs)} wall, ${s(y.tag.cpuMs)} CPU, ${y.tag.maxRssMb} MB | none; reported | |`,
    );
  }
  if (at50) {
    out.push(
      `| mock vs Prism, req/s at 50 connections | ${at50.mockOverPrism}× | ≥ 4× | ${met(at50.mockOverPrism >= 4)} |`,
      `| mock vs bare Express, 50 connections | ${at50.mockOverBare}× | ≥ 0.9× | ${met(at50.mockOverBare >= 0.9)} |`,
      `| mock vs bare Express with the mock's server trick (\`--app-prototypes\`), 50 connections | ${at50.mockOverTunedBare}× req/s, ${at50.cpuTunedBareOverMock}× CPU per request | none; reported | |`,
    );
  }
  out.push(
    '',
    'Growth (CPU time per MB of spec; linear when that stays flat):',
    '',
    '| operations | MB | dry run wall | dry run CPU | CPU s/MB | peak MB | lint wall | lint CPU | CPU s/MB | peak MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const g of growth) {
    out.push(
      `| ${g.operations.toLocaleString('en-US')} | ${g.megabytes} | ${s(g.dryRun.wallMs)} | ${s(g.dryRun.cpuMs)} | ${round(g.dryRun.cpuMs / 1000 / g.megabytes, 2)} | ${g.dryRun.maxRssMb} | ${s(g.lint.wallMs)} | ${s(g.lint.cpuMs)} | ${round(g.lint.cpuMs / 1000 / g.megabytes, 2)} | ${g.lint.maxRssMb} |`,
    );
  }
  return out;
}
