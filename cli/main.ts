import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { visible } from '../conformance/reporters/text.js';
import { describeError, isToolError, ToolError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { type Output, processOutput } from './output.js';
import { configEnv, envName } from './settings.js';

/**
 * The only module that reads argv and decides the exit code. Commands return 0 (everything held),
 * 1 (a check failed) or 2 (the run could not be carried out); a ToolError becomes one coded line and 2;
 * anything else unexpected becomes one line and 2, with the stack only under MCP_CONTRACTS_DEBUG=1.
 */

export type CommandResult = number;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(output: Output, setExit: (code: number) => void): Command {
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const program = new Command('mcp-contracts')
    .description('Contract-first toolkit for the HTTP APIs that manage MCP sessions (StackOne, Smithery, LangSmith).')
    .version(version, '-V, --version')
    .addHelpText(
      'after',
      '\nExit codes: 0 everything held · 1 at least one check failed · 2 the run could not be carried out · 130 interrupted.\n' +
        'Docs: README.md. Bundled specs: stackone, smithery, langsmith.',
    );

  type Action = (
    opts: never,
    output: Output,
    args: string[],
    sources: Record<string, string | undefined>,
  ) => Promise<CommandResult>;
  const run = (loader: () => Promise<Action>) =>
    async function (this: Command, ...args: unknown[]) {
      const command = args[args.length - 1] as Command;
      const positional = (command.args ?? []) as string[];
      // Where each option's value came from (cli, env, default), so that a default never hides a config value.
      const sources = Object.fromEntries(
        command.options.map((o) => [o.attributeName(), command.getOptionValueSource(o.attributeName())]),
      );
      const action = await loader();
      setExit(await action(command.opts() as never, output, positional, sources));
    };
  /** A conformance option the environment can set too (MCP_CONTRACTS_<KEY>, shown in --help). */
  const setting = (flags: string, description: string, key: string) => new Option(flags, description).env(envName(key));

  program
    .command('mock')
    .description('serve the bundled specs on one port (StackOne and Smithery at /, LangSmith at /v1/deepagents)')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '-s, --spec <name|file>',
      'serve only this bundled spec, or any OpenAPI 3.0/3.1 file with state inferred from its paths (repeatable)',
      collect,
    )
    .addOption(
      new Option('-e, --engine <engine>', 'reference (stateful Express) or prism (Stoplight Prism per spec)')
        .choices(['reference', 'prism'])
        .default('reference'),
    )
    .option('-d, --delay <ms>', 'add this latency to every response', '0')
    .option('-f, --fixtures <file>', 'fixtures file replacing the default demo data (see mock/fixtures.json)')
    .option(
      '--self-check',
      'validate every response against the spec before it is sent; a violation becomes a 500 and a log line',
    )
    .option('--quiet', 'no per-request log lines')
    .option('--seed <n>', 'seed of Prefer: dynamic=true data: the same seed gives the same answers (default 1)')
    .option(
      '--session-idle-timeout <seconds>',
      'close StackOne MCP sessions unused this long (0 = never; default 1800, or the fixtures)',
    )
    .option('--max-sessions <n>', 'keep at most this many StackOne MCP sessions open (default 1000, or the fixtures)')
    .addOption(
      new Option('--log-format <format>', 'request log lines as text, or one JSON object per line')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--allow-origin <url>',
      'also serve browser pages from this origin, e.g. http://app.local:3000 (repeatable; loopback origins always are)',
      collect,
    )
    .addHelpText(
      'after',
      '\nExample:\n  npx mcp-contracts mock --port 4010\n  curl -u demo-key: -X DELETE http://127.0.0.1:4010/mcp -H "mcp-session-id: nope"',
    )
    .action(run(async () => (await import('./commands/mock.js')).mockCommand));

  program
    .command('conformance')
    .description(
      'check a running deployment against the spec(s); without --target, checks the reference implementation in-process',
    )
    .addOption(
      setting(
        '-t, --target <url>',
        'base URL of the deployment (replaces scheme, host and port of each spec server URL; a path on it, / included, replaces the base path)',
        'target',
      ),
    )
    .addOption(
      setting(
        '-s, --spec <name|file>',
        'bundled spec name or OpenAPI 3.0/3.1 file (repeatable; default: all bundled)',
        'specs',
      ).argParser(collect),
    )
    .option(
      '-a, --auth <scheme=value>',
      'credential for a security scheme, e.g. basic=user:pass, bearerAuth=TOKEN (repeatable; or MCP_CONTRACTS_AUTH_<SCHEME>)',
      collect,
    )
    .addOption(
      setting(
        '-P, --param <name=value>',
        'known-good value for a path, query or header parameter (repeatable)',
        'params',
      ).argParser(collect),
    )
    .addOption(
      setting(
        '-r, --report <format=file>',
        'write a report: json=FILE, junit=FILE, html=FILE, har=FILE (repeatable)',
        'reports',
      ).argParser(collect),
    )
    .addOption(
      setting(
        '--allow-destructive',
        'allow deleting or changing resources the run did not create itself',
        'allowDestructive',
      ),
    )
    .option('--dry-run', 'print the plan and where each setting came from, without sending anything')
    .addOption(
      setting(
        '--seed <n>',
        'seed for the deterministic plan and the property-based phase (replays it)',
        'seed',
      ).default('1'),
    )
    .addOption(
      setting(
        '--max-examples <n>',
        'examples per safe operation in the property-based phase (0: none; default 8)',
        'maxExamples',
      ),
    )
    .addOption(setting('--checks <ids>', 'run only these checks (comma-separated)', 'checks'))
    .addOption(setting('--exclude-checks <ids>', 'skip these checks (comma-separated)', 'excludeChecks'))
    .addOption(
      setting(
        '--operation <id|label>',
        'only this operation (operationId or "METHOD /path"; repeatable)',
        'operations',
      ).argParser(collect),
    )
    .addOption(setting('--tag <tag>', 'only operations with this tag (repeatable)', 'tags').argParser(collect))
    .addOption(
      setting(
        '--timeout <duration>',
        'per-request timeout: 500ms, 10s, 2m (a bare number is milliseconds)',
        'timeout',
      ).default('10s'),
    )
    .addOption(
      setting(
        '--max-body-size <bytes>',
        'stop reading a response body here and fail response-body-size',
        'maxBodySize',
      ).default('1048576'),
    )
    .addOption(
      setting(
        '--max-response-time <duration>',
        'fail responses slower than this (500ms, 2s; bare: ms)',
        'maxResponseTime',
      ),
    )
    .addOption(setting('--concurrency <n>', 'requests in flight at once', 'concurrency').default('4'))
    .addOption(
      setting(
        '--shard <i/n>',
        'send only part i of n of the planned cases (split by operation, for a CI matrix)',
        'shard',
      ),
    )
    .addOption(setting('--rate-limit <n>', 'at most this many requests per second', 'rateLimit'))
    .addOption(
      setting(
        '--max-retry-wait <duration>',
        'total time spent waiting on Retry-After of 429s, then taken as they come (default 60s; a bare number is seconds)',
        'maxRetryWait',
      ),
    )
    .addOption(
      setting(
        '--require-coverage <percent>',
        'fail when fewer documented statuses than this were exercised and passed',
        'requireCoverage',
      ),
    )
    .addOption(
      setting(
        '--strict',
        'verdict policy: an accepted invalid optional input and a spec gap fail the run (default: warn)',
        'strict',
      ),
    )
    .addOption(
      new Option(
        '-c, --config <file>',
        'config file (default: mcp-contracts.config.json if present; schema: schemas/config.schema.json)',
      ).env(configEnv),
    )
    .addHelpText(
      'after',
      '\nPrecedence: command line > environment (MCP_CONTRACTS_<KEY>, shown above) > config file > defaults.\n' +
        '\nExamples:\n  npx mcp-contracts conformance\n  npx mcp-contracts conformance --target http://127.0.0.1:4010 --auth basic=demo-key: --auth bearerAuth=demo-key --auth apiKeyAuth=demo-key\n  npx mcp-contracts conformance --target https://staging.example.com --spec langsmith --report junit=conformance.xml',
    )
    .action(run(async () => (await import('./commands/conformance.js')).conformanceCommand));

  program
    .command('merge-reports')
    .description("combine the JSON reports of a run's shards (--shard i/n) into one verdict and every report format")
    .argument('<reports...>', 'the JSON report of each shard (--report json=FILE)')
    .option(
      '-r, --report <format=file>',
      'write a report: json=FILE, junit=FILE, html=FILE, har=FILE (repeatable)',
      collect,
    )
    .addHelpText(
      'after',
      '\nExample:\n  npx mcp-contracts merge-reports shard-1.json shard-2.json shard-3.json --report junit=conformance.xml --report html=conformance.html\n' +
        "\nThe exit code is the merged verdict's: 0 passed, 1 failed or errored, 2 inconclusive or the reports do not belong together, 130 interrupted.",
    )
    .action(run(async () => (await import('./commands/merge-reports.js')).mergeReportsCommand));

  program
    .command('generate')
    .description('regenerate generated/ from specs/ (types per spec, the operation table and the Handlers type)')
    .option('--check', 'write nothing; exit 1 naming each stale file and the command that fixes it')
    .addHelpText('after', '\nExamples:\n  npx mcp-contracts generate\n  npx mcp-contracts generate --check')
    .action(run(async () => (await import('./commands/generate.js')).generateCommand));

  program
    .command('lint')
    .description(
      "lint specs with Spectral's OpenAPI rules plus the project's own, against a baseline of known upstream defects",
    )
    .argument('[specs...]', 'bundled spec names or files (default: the three bundled specs)')
    .option(
      '-b, --baseline <file>',
      "baseline file of accepted findings (default: the package's specs/lint-baseline.yaml)",
    )
    .option('--no-baseline', 'ignore the baseline: report every finding as new')
    .addOption(
      new Option('-f, --format <format>', 'output format (sarif: for GitHub code scanning)')
        .choices(['text', 'json', 'sarif'])
        .default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 on a new finding at this severity or worse')
        .choices(['error', 'warn', 'info'])
        .default('error'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx mcp-contracts lint\n  npx mcp-contracts lint --no-baseline\n  npx mcp-contracts lint ./my-api.yaml --fail-on warn\n  npx mcp-contracts lint ./my-api.yaml --format sarif > lint.sarif',
    )
    .action(run(async () => (await import('./commands/lint.js')).lintCommand));

  program
    .command('drift')
    .description(
      'the CI gate: generated files in sync, lint clean against baseline, no breaking change, reference implementation conforms',
    )
    .option(
      '--base <git-ref>',
      'compare specs against this revision (default: merge base with the default branch, else HEAD~1)',
    )
    .option(
      '-r, --report <format=file>',
      'write a report: junit, markdown, json, github, html, changelog =FILE (repeatable)',
      collect,
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest breaking-change severity that fails the gate')
        .choices(['error', 'warning'])
        .default('error'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx mcp-contracts drift\n  npx mcp-contracts drift --base origin/main --report markdown=drift.md\n  npx mcp-contracts drift --base HEAD~1 --report junit=reports/drift.xml --report json=reports/drift.json\n' +
        '\nAccept a breaking change on purpose with an entry (rule, file, pointer, reason, expires) in specs/drift-ignore.yaml.',
    )
    .action(run(async () => (await import('./commands/drift.js')).driftCommand));

  program
    .command('diff')
    .description('breaking changes between any two OpenAPI 3.0/3.1 documents (files or REF:path from git)')
    .argument('[base]', 'the earlier document: a file, or REF:path read from git (e.g. origin/main:openapi.yaml)')
    .argument('[revision]', 'the later document: a file, or REF:path')
    .addOption(
      new Option('-f, --format <format>', 'what to print')
        .choices(['text', 'markdown', 'json', 'junit', 'github', 'html'])
        .default('text'),
    )
    .option(
      '-r, --report <format=file>',
      'also write a report: json, junit, markdown, github, html, changelog (repeatable)',
      collect,
    )
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails (exit 1)')
        .choices(['error', 'warning'])
        .default('error'),
    )
    .option(
      '--ignore <file>',
      'accepted changes (the format of specs/drift-ignore.yaml; entries name the REVISION path)',
    )
    .option('--rules', 'print the rule catalogue (docs/rules.md) and exit')
    .addHelpText(
      'after',
      '\nExamples:\n  npx mcp-contracts diff old.yaml new.yaml\n  npx mcp-contracts diff origin/main:openapi.yaml openapi.yaml --format markdown\n  npx mcp-contracts diff v1.yaml v2.yaml --report junit=diff.xml --report html=changes.html --fail-on warning',
    )
    .action(run(async () => (await import('./commands/diff.js')).diffCommand));

  program
    .command('changelog')
    .description('every change between two OpenAPI documents, breaking or not, grouped by operation, as Markdown')
    .argument('[base]', 'the earlier document: a file, or REF:path read from git')
    .argument('[revision]', 'the later document: a file, or REF:path')
    .option('--ignore <file>', 'accepted changes, shown as accepted')
    .addHelpText('after', '\nExample:\n  npx mcp-contracts changelog v1.0.0:openapi.yaml openapi.yaml > CHANGES.md')
    .action(run(async () => (await import('./commands/changelog.js')).changelogCommand));

  return program;
}

export async function main(argv: string[], output: Output = processOutput()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  // Commander's own errors (unknown option, bad choice, missing argument) are not printed as it writes them (two
  // uncoded lines): the command they belong to is noted, and the catch below says them as one coded line.
  let failedCommand = '';
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (s) => output.out(s.trimEnd()),
      writeErr: (s) => output.err(s.trimEnd()),
      outputError: () => {
        failedCommand = command === program ? '' : command.name();
      },
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; every other commander error is a usage error.
      if (error.exitCode === 0) return 0;
      // No command at all: commander printed the help itself.
      if (error.code === 'commander.help') return 2;
      const message = error.message
        .replace(/^error:\s*/, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\.$/, '');
      const help = failedCommand ? `mcp-contracts ${failedCommand} --help` : 'mcp-contracts --help';
      output.err((output.errColor ?? output.color).red(new ToolError('MCPC_USAGE', message, `run ${help}`).toLine()));
      return 2;
    }
    if (isToolError(error)) {
      // stderr's own palette; a message may quote what a target or a file held: control characters shown.
      output.err((output.errColor ?? output.color).red(visible(error.toLine())));
      return 2;
    }
    output.err(
      (output.errColor ?? output.color).red(
        `MCPC_INTERNAL: ${describeError(error)} — this is a bug in mcp-contracts; rerun with MCP_CONTRACTS_DEBUG=1 and report it`,
      ),
    );
    if (process.env.MCP_CONTRACTS_DEBUG === '1' && error instanceof Error && error.stack) output.err(error.stack);
    return 2;
  }
}
