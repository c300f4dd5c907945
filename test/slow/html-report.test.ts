import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../conformance/types.js';
import { fromRoot } from '../../core/paths.js';
import { runCli } from '../e2e/cli.js';
import { type Defect, startContractServer } from '../servers/contract-server.js';
import { startDroppingProxy } from '../servers/dropping-proxy.js';

/**
 * The HTML report as a person sees it (issue 10 item 8): opened from disk in Debian's Chromium with no network,
 * for a passing, a failing (30+ findings) and an errored run. Each is screenshotted to test/artifacts/ (gitignored;
 * docs/report-failing.png in the README is one of them), and axe-core, injected into the page, must find no
 * serious or critical accessibility violation.
 */
const browserPath = '/usr/bin/chromium';
const artifacts = fromRoot('test/artifacts');
const dir = mkdtempSync(join(tmpdir(), 'mcpc-html-'));
const auth = ['--auth', 'basic=demo-key:', '--auth', 'bearerAuth=demo-key', '--auth', 'apiKeyAuth=demo-key'];

async function report(name: string, defects: Defect[], options: { drop?: boolean } = {}) {
  const server = await startContractServer({ defects });
  const proxy = options.drop ? await startDroppingProxy(server.url) : undefined;
  const file = join(dir, `${name}.html`);
  const json = join(dir, `${name}.json`);
  try {
    const run = await runCli(
      [
        'conformance',
        '--target',
        proxy?.url ?? server.url,
        ...auth,
        '--report',
        `html=${file}`,
        '--report',
        `json=${json}`,
      ],
      { timeoutMs: 60_000 },
    );
    return { run, file, result: JSON.parse(readFileSync(json, 'utf8')) as ConformanceResult };
  } finally {
    await proxy?.close();
    await server.close();
  }
}

const reason = existsSync(browserPath) ? undefined : `${browserPath} is missing (CI installs Debian's chromium)`;
if (reason) console.warn(`skipping the HTML report in Chromium: ${reason}`);

describe.skipIf(reason !== undefined)('the HTML report in Chromium', () => {
  let browser: Browser;
  const runs: Record<string, Awaited<ReturnType<typeof report>>> = {};
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    // The three runs side by side: they wait on the network, not on the CPU.
    [runs.passing, runs.failing, runs.errored] = await Promise.all([
      report('passing', []),
      report('failing', [
        'undocumented-status',
        'ignored-auth',
        'wrong-auth-accepted',
        'error-schema',
        'error-content-type',
        'accepts-invalid-path',
        'unsupported-method-accepted',
        'body-on-204',
        'accepts-missing-header',
        'delete-unknown-succeeds',
        'server-error',
        'accepts-malformed-json',
        'jsonrpc-id-mismatch',
        'use-after-delete',
      ]),
      report('errored', [], { drop: true }),
    ]);
    browser = await chromium.launch({
      executablePath: browserPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Open a report from disk; every request the page makes is recorded. */
  async function open(name: string): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(runs[name]!.file).href);
    return { page, requests };
  }

  async function axe(page: Page) {
    await page.addScriptTag({ content: readFileSync(fromRoot('node_modules/axe-core/axe.min.js'), 'utf8') });
    const results = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
      violations: Array<{ id: string; impact: string; help: string; nodes: unknown[] }>;
    };
    return results.violations;
  }

  it.each([
    ['passing', 'PASSED', 0],
    ['failing', 'FAILED', 1],
    ['errored', 'ERRORED', 1],
  ])(
    '%s run: the verdict first, self-contained, screenshotted, no serious or critical axe violation',
    async (name, word, code) => {
      const { run, result } = runs[name]!;
      expect(run.code, run.stdout.slice(-500)).toBe(code);
      const { page, requests } = await open(name);
      try {
        expect(await page.title()).toBe(`mcp-contracts conformance — ${word}`);
        expect(await page.locator('#verdict').textContent()).toBe(word);
        expect(await page.locator('#reason').textContent()).toBe(result.verdict.reason);
        // The verdict is above the fold.
        const box = await page.locator('#verdict').boundingBox();
        expect(box!.y).toBeLessThan(200);
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
        await page.screenshot({ path: join(artifacts, `report-${name}.png`), fullPage: true });
        // What a person sees first on opening it (docs/report-failing.png in the README is this one's copy).
        await page.screenshot({ path: join(artifacts, `report-${name}-top.png`) });
        const violations = await axe(page);
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} node(s)`)).toEqual([]);
      } finally {
        await page.close();
      }
    },
    60_000,
  );

  it('the failing run: 30+ findings grouped by root cause, all folded but the first, and the filters work', async () => {
    const { result } = runs.failing!;
    expect(result.findings.length).toBeGreaterThanOrEqual(30);
    const { page } = await open('failing');
    try {
      const groups = page.locator('#findings details.group');
      const count = await groups.count();
      expect(count).toBeGreaterThan(1);
      expect(count).toBeLessThan(result.findings.length);
      expect(await page.locator('#findings details.group[open]').count()).toBe(1);
      const occurrences = await page.locator('#findings summary .count').allTextContents();
      const total = occurrences.reduce((n, t) => n + Number(t.slice(1)), 0) + (count - occurrences.length);
      expect(total).toBe(result.findings.length);
      // Filter by check: only that check's groups stay visible, and the page says how many.
      const check = result.findings.find((f) => f.check === 'ignored-auth')!.check;
      await page.selectOption('select[name="check"]', check);
      const visible = await page.locator('#findings details.group:visible').count();
      const expected = await page.locator(`#findings details.group[data-check="${check}"]`).count();
      expect(visible).toBe(expected);
      expect(await page.locator('#shown').textContent()).toBe(`${expected} of ${count} groups shown`);
      await page.selectOption('select[name="check"]', '');
      expect(await page.locator('#findings details.group:visible').count()).toBe(count);
      // Each finding shows the request and response it judged.
      const first = page.locator('#findings details.group').first();
      expect(await first.locator('dt', { hasText: 'request' }).count()).toBe(1);
      expect(await first.locator('dt', { hasText: 'response' }).count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('the coverage matrix reads without colour: a word in every cell, the legend, the reasons visible', async () => {
    const { page } = await open('failing');
    try {
      const cells = await page.locator('#coverage li.cell').allTextContents();
      expect(cells.length).toBeGreaterThan(10);
      for (const c of cells) expect(c).toMatch(/^[✓P✗–] \S+ (passed|passed via Prefer|failed|not provoked)$/);
      expect(await page.locator('#legend').textContent()).toMatch(
        /✓ passed.*P passed via Prefer.*✗ failed.*– not provoked/,
      );
      const reasons = await page.locator('#coverage ul.why').allInnerTexts();
      expect(reasons.join('\n')).toMatch(/\d{3} not provoked: /);
      expect(await page.locator('#coverage ul.why').first().isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('the errored run lists each errored case with its reason', async () => {
    const { result } = runs.errored!;
    expect(result.summary.errored).toBeGreaterThan(0);
    const { page } = await open('errored');
    try {
      expect(await page.locator('#errored li').count()).toBe(result.summary.errored);
    } finally {
      await page.close();
    }
  }, 60_000);
});
