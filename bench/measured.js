// Run a Node script in this process and report what it cost: `node bench/measured.js OUT.json script.js args…`
// writes {wallMs, cpuMs, maxRssMb, exitCode} to OUT.json when the script's process exits. The bench uses it for the
// CLI on GitHub's spec (process.resourceUsage() gives the peak RSS that /usr/bin/time would, without needing it).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [out, script, ...args] = process.argv.slice(2);
if (!out || !script) {
  process.stderr.write(
    'usage: node bench/measured.js OUT.json script.js [args…]  (e.g. … bin/mcp-contracts.js --help)\n',
  );
  process.exit(2);
}
const started = performance.now();
process.argv = [process.argv[0], resolve(script), ...args];
process.on('exit', (code) => {
  const usage = process.resourceUsage();
  writeFileSync(
    out,
    JSON.stringify({
      wallMs: Math.round(performance.now() - started),
      cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
      maxRssMb: Math.round(usage.maxRSS / 1024),
      exitCode: code,
    }),
  );
});
await import(pathToFileURL(resolve(script)).href);
