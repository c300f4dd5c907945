// Renders bench results as Markdown (printed on stdout and kept between markers in BENCHMARKS.md).

export const startMarker = '<!-- bench:results:start — written by `npm run bench`; edit outside these markers -->';
export const endMarker = '<!-- bench:results:end -->';

const fmt = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const x = (value, digits = 2) => (value === null || value === undefined ? '–' : `${fmt(value, digits)}×`);

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderResults(r) {
  const out = [];
  const m = r.machine;
  out.push(`## Latest run (${r.date.slice(0, 10)})`);
  out.push('');
  out.push(`- **Command:** \`${r.command}\``);
  out.push(`- **Date:** ${r.date}, ${fmt(r.totalSeconds, 1)} s in all`);
  const rev = r.revision ?? {};
  out.push(
    `- **Code:** commit ${rev.commit ?? 'unknown'}${rev.uncommittedChanges ? `, plus uncommitted changes in ${rev.uncommittedChanges} file(s) outside bench/` : ''}`,
  );
  out.push(
    `- **Machine:** Node ${m.node}, ${m.platform}, ${m.cores} cores (\`os.cpus()[0].model\`: ${m.cpuModel}), ${fmt(m.memoryGiB, 1)} GiB; load average ${m.loadAverageAtStart.join(' / ')} at start, ${(m.loadAverageAtEnd ?? []).join(' / ')} at end`,
  );
  const load = m.otherLoadCores ?? {};
  out.push(
    `- **Other load on the machine** (CPU used by processes not started by the bench, in cores of ${m.cores}): ${
      Object.entries(load)
        .map(([phase, cores]) => `${phase} ${fmt(cores, 2)}`)
        .join(', ') || '–'
    } — ${
      m.quiet
        ? 'a **quiet** run'
        : '**CONTENDED**: something else was running, so these figures are lower and noisier than a quiet run’s and not comparable with one'
    }`,
  );
  const s = r.settings;
  out.push(
    `- **Settings:** ${s.concurrency} concurrent keep-alive connections; ${s.rounds} round(s) × ${fmt(s.durationMs)} ms per cell after a warm-up of ${fmt(s.warmupMs)} ms on fresh connections (each server first got ${fmt(s.prewarmMs)} ms of all four requests, for the JIT); medians over rounds; start-up × ${s.startupRuns}; conformance × ${s.conformanceRuns} (reference) and × ${s.prismConformanceRuns} (Prism); CLI × ${s.cliRuns}`,
  );

  if (r.serving) out.push('', ...renderServing(r.serving, r.settings));
  if (r.conformance) out.push('', ...renderConformance(r.conformance));
  if (r.startup) out.push('', ...renderStartup(r.startup));
  return out.join('\n');
}

function renderServing(sv, settings) {
  const out = ['### 1. Mock serving', ''];
  const labels = Object.fromEntries(sv.targets.map((t) => [t.id, t.label]));
  out.push(
    'Servers, each in its own child process: ' +
      sv.targets.map((t) => `${t.label} = \`${t.command}\``).join('; ') +
      '. Load from the bench process (`node:http` keep-alive Agent).',
  );
  out.push('');
  const rows = [];
  for (const row of sv.rows) {
    for (const t of sv.targets) {
      const c = row.targets[t.id];
      const bad = c.errors + c.unexpected;
      rows.push([
        row.id,
        labels[t.id],
        `${c.answered.status}, ${c.answered.bodyBytes} B`,
        fmt(c.rps),
        `±${fmt(c.rpsSpreadPercent / 2, 1)} %`,
        fmt(c.p50Ms, 2),
        fmt(c.p99Ms, 2),
        fmt(c.serverCpuUsPerRequest),
        fmt(c.serverCores, 2),
        fmt(c.clientCores, 2),
        `${fmt(c.otherCores, 2)}${c.contendedRounds > 0 ? ` (${c.contendedRounds}/${c.rounds.length} contended)` : ''}`,
        bad > 0 ? `**${bad}**` : '0',
      ]);
    }
  }
  out.push(
    table(
      [
        'request',
        'target',
        'answer',
        'req/s',
        'spread',
        'p50 ms',
        'p99 ms',
        'server CPU µs/req',
        'server cores',
        'bench cores',
        'other cores',
        'errors',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(
    '*spread* = ±half the (max − min) of req/s over the rounds, as % of the median. *server CPU µs/req* = user+system CPU of the server’s process tree (Prism: front process and its three Prism children) per request, from /proc. *bench cores* = CPU of the load generator, in cores: near 1.0 means the client, not the server, set the pace. *other cores* = CPU used meanwhile by everything else on the machine (from /proc/stat): with 2 cores, 0.25 or more there is contention, and the cell is noisier.',
  );
  out.push('');
  out.push(
    `Cells measured again because other load was ≥ ${fmt(settings.quietBelowCores, 2)} cores meanwhile (at most twice per cell, ${fmt(settings.retryBudgetMs / 1000)} s in all): ${sv.remeasured}; cells still contended after that: ${sv.contendedCells} of ${sv.cellCount}.`,
  );
  out.push('');
  out.push('**Throughput ratios** (req/s ÷ req/s; below 1 = slower than the peer):');
  out.push('');
  const ratioRows = sv.rows.map((row) => [
    row.id,
    x(row.throughputRatios.mockOverBare),
    x(row.throughputRatios.mockSelfCheckOverBare),
    x(row.throughputRatios.prismOverBare),
    x(row.throughputRatios.mockOverPrism),
  ]);
  const g = sv.geomean.throughputRatios;
  ratioRows.push([
    '**geometric mean**',
    x(g.mockOverBare),
    x(g.mockSelfCheckOverBare),
    x(g.prismOverBare),
    x(g.mockOverPrism),
  ]);
  out.push(table(['request', 'mock / bare', 'mock+self-check / bare', 'Prism / bare', 'mock / Prism'], ratioRows));
  out.push('');
  out.push('**CPU cost ratios** (server CPU per request ÷ the peer’s; above 1 = costlier than the peer):');
  out.push('');
  const costRows = sv.rows.map((row) => [
    row.id,
    x(row.cpuCostRatios.mockOverBare),
    x(row.cpuCostRatios.mockSelfCheckOverBare),
    x(row.cpuCostRatios.prismOverBare),
    x(row.cpuCostRatios.mockOverPrism),
  ]);
  const c = sv.geomean.cpuCostRatios;
  costRows.push([
    '**geometric mean**',
    x(c.mockOverBare),
    x(c.mockSelfCheckOverBare),
    x(c.prismOverBare),
    x(c.mockOverPrism),
  ]);
  out.push(table(['request', 'mock / bare', 'mock+self-check / bare', 'Prism / bare', 'mock / Prism'], costRows));
  out.push('');
  out.push('Requests:');
  out.push('');
  for (const row of sv.rows) {
    const identical = row.bareIdenticalToMock
      ? 'bare Express answers it identically to the mock (status, headers, body; timestamps aside)'
      : `**bare Express differs from the mock:** ${row.bareDifferences.join('; ')}`;
    const prism = row.targets.prism;
    const front =
      prism && prism.frontCpuUsPerRequest !== undefined
        ? ` Prism's CPU per request: ${fmt(prism.serverCpuUsPerRequest)} µs, of which ${fmt(prism.frontCpuUsPerRequest)} µs in the wrapper's routing front process and the rest in Prism itself`
        : '';
    out.push(
      `- \`${row.id}\`: ${row.label}; ${identical}.${row.prismNote ? ` Prism: ${row.prismNote}.` : ''}${front ? `${front}.` : ''}`,
    );
  }
  return out;
}

function renderConformance(cf) {
  const out = ['### 2. Conformance run time', ''];
  const row = (label, c) => [
    label,
    String(c.runs),
    fmt(c.medianWallMs),
    fmt(c.firstRunWallMs),
    `±${fmt(c.wallSpreadPercent / 2, 1)} %`,
    fmt(c.requests),
    fmt(c.requestsPerSecond),
    String(c.cases),
    c.failures.join(', '),
    `${fmt(c.coveragePercent, 1)} %`,
  ];
  out.push(
    table(
      [
        'full run of the 3 bundled specs against',
        'runs',
        'wall ms (median, warm)',
        'first run ms',
        'spread',
        'requests',
        'req/s',
        'cases',
        'failures per run',
        'coverage',
      ],
      [
        row(
          'reference mock, in-process (what `npm start` does; mock started and stopped inside each run)',
          cf.referenceInProcess,
        ),
        row('Prism (`mock --engine prism`, already running)', cf.prism),
      ],
    ),
  );
  out.push('');
  out.push(
    `Ratio reference/Prism (warm wall time): ${x(cf.ratios.referenceOverPrismWall)}. "warm" = runs 2…N in one process (the first run also compiles the specs' validators and warms the JIT; the module import took ${fmt(cf.referenceInProcess.importMs)} ms before it).`,
  );
  out.push('');
  const cli = cf.cli;
  const exits = (c) => [...new Set(c.exitCodes)].join(', ');
  out.push(
    table(
      ['CLI, spawn → exit', 'runs', 'median ms', 'min–max ms', 'exit code(s)', 'vs `node -e ""`'],
      [
        [
          `\`${cli.conformance.command}\``,
          String(cli.conformance.runs),
          fmt(cli.conformance.medianWallMs),
          `${fmt(cli.conformance.minWallMs)}–${fmt(cli.conformance.maxWallMs)}`,
          exits(cli.conformance),
          x(cli.conformance.medianWallMs / cli.nodeEmpty.medianWallMs, 1),
        ],
        [
          `\`${cli.version.command}\``,
          String(cli.version.runs),
          fmt(cli.version.medianWallMs),
          `${fmt(cli.version.minWallMs)}–${fmt(cli.version.maxWallMs)}`,
          exits(cli.version),
          x(cli.version.medianWallMs / cli.nodeEmpty.medianWallMs, 1),
        ],
        [
          `\`${cli.nodeEmpty.command}\` (Node's own start)`,
          String(cli.nodeEmpty.runs),
          fmt(cli.nodeEmpty.medianWallMs),
          `${fmt(cli.nodeEmpty.minWallMs)}–${fmt(cli.nodeEmpty.maxWallMs)}`,
          exits(cli.nodeEmpty),
          '1.0×',
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Budget: a full run against the local mock in under ${fmt(cli.conformance.budgetMs)} ms of wall time — ${cli.conformance.withinBudget ? `**met** (slowest of ${cli.conformance.runs} runs: ${fmt(cli.conformance.maxWallMs)} ms)` : `**not met** (slowest of ${cli.conformance.runs} runs: ${fmt(cli.conformance.maxWallMs)} ms)`}.`,
  );
  return out;
}

function renderStartup(st) {
  const out = ['### 3. Start-up (spawn → first successful response)', ''];
  const rows = ['mock', 'prism', 'bare'].map((id) => [
    st[id].label,
    String(st[id].runs),
    fmt(st[id].medianReadyMs),
    `${fmt(st[id].minReadyMs)}–${fmt(st[id].maxReadyMs)}`,
    x(st[id].medianReadyMs / st.bare.medianReadyMs, 1),
  ]);
  out.push(table(['server', 'runs', 'median ms', 'min–max ms', 'vs bare Express'], rows));
  out.push('');
  out.push(
    `Prism / mock: ${x(st.ratios.prismOverMock, 1)}. Probe: ${st.probe}, polled every 5 ms from the moment the server prints its URL (it listens on port 0).`,
  );
  return out;
}

/** BENCHMARKS.md with the generated section replaced (or, for a new file, a skeleton around it). */
export function updateBenchmarksMarkdown(existing, generated) {
  const section = `${startMarker}\n${generated}\n${endMarker}`;
  if (existing?.includes(startMarker) && existing.includes(endMarker)) {
    const before = existing.slice(0, existing.indexOf(startMarker));
    const after = existing.slice(existing.indexOf(endMarker) + endMarker.length);
    return `${before}${section}${after}`;
  }
  return `# Benchmarks\n\nRun with \`npm run bench\`.\n\n${section}\n\n## Interpretation\n\n(to be written)\n`;
}

/**
 * JSON as the project's formatter (Biome, line width 120) prints it, so that a committed bench/results.json passes
 * `npm run lint`: objects one key per line, arrays of plain values on one line when they fit, others one item per
 * line.
 */
export function formatJson(value, indent = '', key = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const line = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      // The whole line: indentation, the key and its quotes, ': ', the array, and a trailing comma.
      if (indent.length + key.length + 4 + line.length + 1 <= 120) return line;
    }
    return `[\n${value.map((v) => `${inner}${formatJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner, k)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
