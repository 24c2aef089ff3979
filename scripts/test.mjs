// `npm test`: every check the project has, in the order CI runs them, stopping at the first failure with
// its exit code. Tools are run from node_modules/.bin so that the versions in package-lock.json are used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(projectRoot, 'node_modules', '.bin');
const isWindows = process.platform === 'win32';
const systemChromium = '/usr/bin/chromium';

/**
 * The child's PATH starts with node_modules/.bin, which also holds the Node 22 of the `node`
 * devDependency: the tools' `#!/usr/bin/env node` then runs on it even when this script was started
 * with another Node (better-sqlite3 13 needs Node 22, DESIGN §8).
 */
function childEnvironment() {
  const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  return { ...process.env, [pathKey]: [binDir, process.env[pathKey]].filter(Boolean).join(delimiter) };
}

function run(tool, args) {
  const command = join(binDir, isWindows ? `${tool}.cmd` : tool);
  console.log(`\n> ${tool} ${args.join(' ')}`);
  // Since Node 20.12, .cmd files only start through a shell; the quotes keep a path with spaces whole.
  const result = isWindows
    ? spawnSync(`"${command}"`, args, {
        cwd: projectRoot,
        env: childEnvironment(),
        stdio: 'inherit',
        shell: true,
      })
    : spawnSync(command, args, { cwd: projectRoot, env: childEnvironment(), stdio: 'inherit' });
  if (result.error) {
    console.error(`Could not start ${tool}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(
      `\n${tool} failed (${result.status === null ? `signal ${result.signal}` : `exit code ${result.status}`})`,
    );
    printSummary();
    process.exit(result.status ?? 1);
  }
}

// Machine-readable results of both runners, added up into one closing line that CI reads:
// "N passed, N failed, N skipped".
const reportsDir = join(projectRoot, '.reports');
const vitestReport = join(reportsDir, 'vitest.json');
const playwrightReport = join(reportsDir, 'playwright.json');
rmSync(reportsDir, { recursive: true, force: true });
mkdirSync(reportsDir, { recursive: true });

function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function printSummary() {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const vitest = readReport(vitestReport);
  if (vitest) {
    counts.passed += vitest.numPassedTests ?? 0;
    counts.failed += vitest.numFailedTests ?? 0;
    counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  }
  const playwright = readReport(playwrightReport);
  if (playwright?.stats) {
    counts.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
    counts.failed += playwright.stats.unexpected ?? 0;
    counts.skipped += playwright.stats.skipped ?? 0;
  }
  if (!vitest && !playwright) return;
  console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

run('eslint', ['.']);
run('tsc', ['--noEmit', '-p', 'tsconfig.json']);
run('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
// npm install never downloads a browser. Where there is no system Chromium, the tests get Playwright's
// own; CI provides the system one instead (.ci/run installs Debian's chromium).
if (!existsSync(systemChromium) && !process.env.CI) run('playwright', ['install', 'chromium']);
process.env.PLAYWRIGHT_JSON_OUTPUT_FILE = playwrightReport;
run('playwright', ['test', '--reporter=list,json']);
printSummary();
