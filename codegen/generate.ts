import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unifiedDiff } from '../core/diff.js';
import { ToolError } from '../core/errors.js';
import type { Operation } from '../core/operations.js';
import { importOptional, openapiTypescriptPackage } from '../core/optional-dependency.js';
import { bundledSpecNames, packageRoot } from '../core/paths.js';
import { loadSpec } from '../core/spec.js';
import { compileSpec } from '../core/validators.js';

/**
 * `generate`: everything in `generated/` is a pure function of `specs/`. One types file per spec
 * (openapi-typescript), plus `operations.ts`: the typed table of every operation and the `Handlers` type
 * the reference implementation must satisfy, so that an operation added to a spec without a handler, or a
 * handler answering a status or body the spec does not document, fails `tsc`.
 */

export const generatedHeader = (source: string): string =>
  `// generated — do not edit. Source: ${source}. Regenerate with: npx mcp-contracts generate\n`;

export interface GeneratedFile {
  /** Relative to the package root, with forward slashes. */
  path: string;
  content: string;
}

export interface GenerateCheckResult {
  stale: Array<{ path: string; diff: string; reason: 'changed' | 'missing' | 'orphan' }>;
  fresh: string[];
}

export const generatedDir = 'generated';

const typeNames: Record<string, string> = {
  stackone: 'StackOne',
  smithery: 'Smithery',
  langsmith: 'LangSmith',
};

/** Build every generated file in memory. Deterministic: same specs, same bytes. */
export async function buildGeneratedFiles(root: string = packageRoot): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  const operations: Array<{ spec: string; op: Operation }> = [];
  // openapi-typescript (and TypeScript under it) is an optional peer: loaded here, for `generate` and drift only.
  const { default: openapiTS, astToString } = await importOptional(
    openapiTypescriptPackage,
    () => import('openapi-typescript'),
  );
  for (const name of bundledSpecNames) {
    const specPath = join(root, 'specs', `${name}.yaml`);
    const spec = await loadSpec(specPath);
    const compiled = compileSpec(spec);
    for (const op of compiled.operations) operations.push({ spec: name, op });
    let body: string;
    try {
      const ast = await openapiTS(structuredClone(spec.document) as never, {
        emptyObjectsUnknown: true,
        silent: true,
        alphabetize: false,
      });
      body = astToString(ast);
    } catch (error) {
      throw new ToolError(
        'MCPC_SPEC_SCHEMA',
        `specs/${name}.yaml: openapi-typescript cannot turn it into types: ${(error as Error).message.split('\n')[0]}`,
        'run `npx mcp-contracts lint` to find the invalid part of the spec',
      );
    }
    files.push({
      path: `${generatedDir}/${name}.ts`,
      content: `${generatedHeader(`specs/${name}.yaml`)}\n${body}`,
    });
  }
  files.push({ path: `${generatedDir}/operations.ts`, content: renderOperations(operations) });
  return files;
}

function renderOperations(entries: Array<{ spec: string; op: Operation }>): string {
  const lines: string[] = [];
  lines.push(generatedHeader('specs/stackone.yaml, specs/smithery.yaml, specs/langsmith.yaml').trimEnd());
  lines.push('');
  for (const spec of bundledSpecNames) {
    lines.push(`import type { operations as ${typeNames[spec]}Operations } from './${spec}.js';`);
  }
  lines.push('');
  lines.push('/** Every operation of the bundled specs: where it lives and which statuses it documents. */');
  lines.push('export const operationTable = {');
  for (const { spec, op } of entries) {
    const statuses = op.responses.map((r) => (/^\d+$/.test(r.status) ? r.status : JSON.stringify(r.status)));
    lines.push(`  ${JSON.stringify(op.operationId)}: {`);
    lines.push(`    spec: ${JSON.stringify(spec)},`);
    lines.push(`    method: ${JSON.stringify(op.method)},`);
    lines.push(`    path: ${JSON.stringify(op.path)},`);
    lines.push(`    basePath: ${JSON.stringify(op.basePath)},`);
    lines.push(`    label: ${JSON.stringify(op.label)},`);
    lines.push(`    statuses: [${statuses.join(', ')}],`);
    lines.push(`    security: ${JSON.stringify(op.security.map((alt) => alt.map((r) => r.scheme)))},`);
    lines.push('  },');
  }
  lines.push('} as const;');
  lines.push('');
  lines.push('export type OperationId = keyof typeof operationTable;');
  lines.push('');
  lines.push('/** The openapi-typescript type of each operation, by operationId. */');
  lines.push('export interface OperationTypes {');
  for (const { spec, op } of entries) {
    lines.push(`  ${JSON.stringify(op.operationId)}: ${typeNames[spec]}Operations[${JSON.stringify(op.operationId)}];`);
  }
  lines.push('}');
  lines.push(handlerTypes);
  return `${lines.join('\n')}\n`;
}

const handlerTypes = `
type MaybePromise<T> = T | Promise<T>;
type ParametersOf<Op> = Op extends { parameters: infer P } ? P : never;
type Field<T, K extends string> = T extends Record<K, infer V> ? V : T extends Partial<Record<K, infer V>> ? V | undefined : undefined;
type BodyOf<Op> = Op extends { requestBody: { content: infer C } }
  ? C[keyof C]
  : Op extends { requestBody?: { content: infer C } }
    ? C[keyof C] | undefined
    : undefined;

/** What a handler receives: the request's parameters and body, already validated against the spec. */
export interface HandlerRequest<Op> {
  path: Field<ParametersOf<Op>, 'path'>;
  query: Field<ParametersOf<Op>, 'query'>;
  header: Field<ParametersOf<Op>, 'header'>;
  body: BodyOf<Op>;
}

/** What a handler may answer: one of the operation's documented statuses, with that status's body. */
export type HandlerResponse<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & number]: R[S] extends { content: infer C }
        ? {
            [M in keyof C & string]: { status: S; contentType: M; body: C[M]; headers?: Record<string, string> };
          }[keyof C & string]
        : { status: S; body?: undefined; headers?: Record<string, string> };
    }[keyof R & number]
  : never;

/** One handler per operationId. A spec operation without a handler here is a compile error. */
export type Handlers<Ctx> = {
  [K in OperationId]: (request: HandlerRequest<OperationTypes[K]>, ctx: Ctx) => MaybePromise<HandlerResponse<OperationTypes[K]>>;
};
`;

/** Write every generated file; returns the paths written. */
export async function writeGeneratedFiles(root: string = packageRoot): Promise<string[]> {
  const files = await buildGeneratedFiles(root);
  mkdirSync(join(root, generatedDir), { recursive: true });
  for (const file of files) {
    try {
      writeFileSync(join(root, file.path), file.content);
    } catch (error) {
      throw new ToolError(
        'MCPC_IO',
        `cannot write ${file.path}: ${(error as Error).message}`,
        'check that the folder is writable',
      );
    }
  }
  return files.map((f) => f.path);
}

/** Compare what `generate` would write with what is on disk, without writing anything. */
export async function checkGeneratedFiles(root: string = packageRoot): Promise<GenerateCheckResult> {
  const files = await buildGeneratedFiles(root);
  const stale: GenerateCheckResult['stale'] = [];
  const fresh: string[] = [];
  for (const file of files) {
    const onDisk = join(root, file.path);
    if (!existsSync(onDisk)) {
      stale.push({ path: file.path, diff: unifiedDiff('', file.content, file.path), reason: 'missing' });
      continue;
    }
    const current = readFileSync(onDisk, 'utf8');
    if (current === file.content) fresh.push(file.path);
    else stale.push({ path: file.path, diff: unifiedDiff(current, file.content, file.path), reason: 'changed' });
  }
  const dir = join(root, generatedDir);
  if (existsSync(dir)) {
    for (const entry of readdirSync(dir)) {
      const path = `${generatedDir}/${entry}`;
      if (!entry.endsWith('.ts') || files.some((f) => f.path === path)) continue;
      const content = readFileSync(join(dir, entry), 'utf8');
      if (content.startsWith('// generated — do not edit')) {
        stale.push({ path, diff: unifiedDiff(content, '', path), reason: 'orphan' });
      }
    }
  }
  return { stale, fresh };
}

export function relativeToRoot(path: string, root: string = packageRoot): string {
  return relative(root, path).split('\\').join('/');
}
