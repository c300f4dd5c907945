import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startContractServer } from '../servers/contract-server.js';
import { runCli } from './cli.js';

/** The HTML report as a person sees it: opened from disk in a real browser, with no network. */
const browser = '/usr/bin/chromium';

describe.skipIf(!existsSync(browser))('the HTML report in Chromium', () => {
  it('opens from disk and shows the verdict, the coverage matrix and each finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpc-html-'));
    const file = join(dir, 'report.html');
    const server = await startContractServer({ defects: ['error-schema'] });
    try {
      const run = await runCli([
        'conformance',
        '--target',
        server.url,
        '--auth',
        'basic=demo-key:',
        '--auth',
        'bearerAuth=demo-key',
        '--auth',
        'apiKeyAuth=demo-key',
        '--report',
        `html=${file}`,
      ]);
      expect(run.code).toBe(1);
    } finally {
      await server.close();
    }
    const instance = await chromium.launch({
      executablePath: browser,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await instance.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(await page.title()).toMatch(/mcp-contracts conformance — fail/);
      expect(await page.locator('h1').textContent()).toMatch(/failure\(s\)/);
      expect(await page.locator('#coverage tr').count()).toBe(4);
      const finding = page.locator('details', { hasText: 'response-schema-conformance' }).first();
      expect(await finding.textContent()).toMatch(/must have required property 'statusCode'/);
      expect(await page.locator('#coverage td.failed').count()).toBeGreaterThan(0);
      // Self-contained: the page loads nothing but itself.
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    } finally {
      await instance.close();
    }
  });
});
