import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { describeError, isToolError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { type Output, processOutput } from './output.js';

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
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 everything held · 1 at least one check failed · 2 the run could not be carried out · 130 interrupted.\n' +
        'Docs: README.md. Bundled specs: stackone, smithery, langsmith.',
    );

  const run = (loader: () => Promise<(opts: never, output: Output, args: string[]) => Promise<CommandResult>>) =>
    async function (this: Command, ...args: unknown[]) {
      const command = args[args.length - 1] as Command;
      const positional = (command.args ?? []) as string[];
      const action = await loader();
      setExit(await action(command.opts() as never, output, positional));
    };

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
    .option(
      '-t, --target <url>',
      'base URL of the deployment (replaces scheme, host and port of each spec server URL; a path on it, / included, replaces the base path)',
    )
    .option(
      '-s, --spec <name|file>',
      'bundled spec name or OpenAPI 3.0/3.1 file (repeatable; default: all bundled)',
      collect,
    )
    .option(
      '-a, --auth <scheme=value>',
      'credential for a security scheme, e.g. basic=user:pass, bearerAuth=TOKEN (repeatable; or MCP_CONTRACTS_AUTH_<SCHEME>)',
      collect,
    )
    .option('-P, --param <name=value>', 'known-good value for a path, query or header parameter (repeatable)', collect)
    .option('-r, --report <format=file>', 'write a report: json=FILE, junit=FILE, html=FILE (repeatable)', collect)
    .option('--allow-destructive', 'allow deleting or changing resources the run did not create itself')
    .option('--dry-run', 'print the plan without sending anything')
    .option('--seed <n>', 'seed for the deterministic plan and the property-based phase (replays it)', '1')
    .option('--max-examples <n>', 'examples per safe operation in the property-based phase (0: none; default 8)')
    .option('--checks <ids>', 'run only these checks (comma-separated)')
    .option('--exclude-checks <ids>', 'skip these checks (comma-separated)')
    .option('--operation <id|label>', 'only this operation (operationId or "METHOD /path"; repeatable)', collect)
    .option('--tag <tag>', 'only operations with this tag (repeatable)', collect)
    .option('--timeout <ms>', 'per-request timeout', '10000')
    .option('--max-body-size <bytes>', 'stop reading a response body here and fail response-body-size', '1048576')
    .option('--max-response-time <ms>', 'fail responses slower than this')
    .option('--concurrency <n>', 'requests in flight at once', '4')
    .option('--rate-limit <n>', 'at most this many requests per second')
    .option(
      '--max-retry-wait <seconds>',
      'total time spent waiting on Retry-After of 429s, then taken as they come (default 60)',
    )
    .option('--require-coverage <percent>', 'fail when fewer documented statuses than this were exercised and passed')
    .option(
      '--strict',
      'verdict policy: an accepted invalid optional input and a spec gap fail the run (default: warn)',
    )
    .option('-c, --config <file>', 'config file (default: mcp-contracts.config.json if present)')
    .addHelpText(
      'after',
      '\nExamples:\n  npx mcp-contracts conformance\n  npx mcp-contracts conformance --target http://127.0.0.1:4010 --auth basic=demo-key: --auth bearerAuth=demo-key --auth apiKeyAuth=demo-key\n  npx mcp-contracts conformance --target https://staging.example.com --spec langsmith --report junit=conformance.xml',
    )
    .action(run(async () => (await import('./commands/conformance.js')).conformanceCommand));

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
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  npx mcp-contracts lint\n  npx mcp-contracts lint --no-baseline\n  npx mcp-contracts lint ./my-api.yaml',
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
    .option('-r, --report <format=file>', 'write a report: junit=FILE, markdown=FILE, json=FILE (repeatable)', collect)
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

  return program;
}

export async function main(argv: string[], output: Output = processOutput()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => output.out(s.trimEnd()),
    writeErr: (s) => output.err(s.trimEnd()),
  });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({
      writeOut: (s) => output.out(s.trimEnd()),
      writeErr: (s) => output.err(s.trimEnd()),
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isToolError(error)) {
      output.err(output.color.red(error.toLine()));
      return 2;
    }
    output.err(
      output.color.red(
        `MCPC_INTERNAL: ${describeError(error)} — this is a bug in mcp-contracts; rerun with MCP_CONTRACTS_DEBUG=1 and report it`,
      ),
    );
    if (process.env.MCP_CONTRACTS_DEBUG === '1' && error instanceof Error && error.stack) output.err(error.stack);
    return 2;
  }
}
