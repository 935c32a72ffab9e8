// The console's observation views in headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core). Run by framework.web.browser.* with TARSWEB_URL, TARSWEB_USER,
// TARSWEB_PASSWORD, TARSWEB_SCREENSHOTS and CHROMIUM set, against a tarsweb whose registry
// runs TestApp.HelloServer on node1 (reporting to tarsstat, read back by tarsquerystat) and
// which was called a few times.
//
// Controls and charts are found by role and accessible name. Exits 0 when every step held,
// 1 with the failing step on stderr. Every wait is bounded.
'use strict';

const { chromium } = require('playwright-core');
const path = require('path');
const { fitsWidth } = require('./lib.js');

const url = process.env.TARSWEB_URL;
const user = process.env.TARSWEB_USER || 'admin';
const password = process.env.TARSWEB_PASSWORD;
const shots = process.env.TARSWEB_SCREENSHOTS;
const server = 'TestApp.HelloServer';
const node = 'node1';
const timeoutMs = 30000;
const statWaitMs = 90000;  // reports every second, stored every second; the first may take longer

function step(text) { console.log(`step: ${text}`); }

// The point count of the chart named "<title>: N points" (0 when it is not drawn).
async function pointsOf(page, title) {
  const chart = page.getByRole('img', { name: new RegExp(`^${title}: \\d+ points?$`) });
  if (await chart.count() === 0) return 0;
  return Number(await chart.first().getAttribute('data-points'));
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);

    step('log in');
    await page.goto(url);
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Services' }).waitFor();

    step('open the server');
    await page.getByRole('button', { name: server, exact: true }).click();
    await page.getByRole('heading', { name: server }).waitFor();
    await page.getByRole('heading', { name: 'Calls and properties' }).waitFor();

    step('the stat chart of testHello draws points after the calls');
    const deadline = Date.now() + statWaitMs;
    let points = 0;
    for (let i = 0; i < 200 && Date.now() < deadline; ++i) {
      points = await pointsOf(page, 'Calls of testHello');
      if (points > 0) break;
      await page.getByRole('button', { name: 'Refresh charts' }).click();
      await page.waitForTimeout(1000);
    }
    if (points <= 0) {
      throw new Error(`no point in the stat chart: ${await page.locator('#observe-status').textContent()}`);
    }
    console.log(`stat chart points: ${points}`);
    if (await pointsOf(page, 'Latency of testHello') !== points) throw new Error('the latency chart has other points');
    // Its values are in a table too, one row per point.
    // (a closed <details>: not in the accessibility tree, so found by its label attribute)
    const rows = await page.locator('table[aria-label="Calls of testHello values"]').first().locator('tbody tr').count();
    if (rows !== points) throw new Error(`${rows} value rows for ${points} points`);

    step('another interval is asked for and drawn');
    await page.getByLabel('Interval').selectOption({ label: 'Last 6 h' });
    await page.getByRole('img', { name: /^Calls of testHello: \d+ points?$/ }).waitFor();
    const properties = await page.getByRole('img', { name: /^Property / }).count();
    console.log(`property charts: ${properties}`);
    await page.getByRole('heading', { name: 'Calls and properties' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'charts.png') });

    step('the log tail shows the server log');
    await page.getByRole('heading', { name: 'Log', exact: true }).scrollIntoViewIfNeeded();
    const logNode = page.getByLabel('Log node');
    await logNode.locator(`option[value="${node}"]`).waitFor({ state: 'attached' });
    const logFile = page.getByLabel('Log file');
    await logFile.locator(`option[value="${server}.log"]`).waitFor({ state: 'attached' });
    await logFile.selectOption(`${server}.log`);
    await page.getByLabel('Lines', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Show log' }).click();
    const log = page.getByRole('log', { name: 'Log lines' });
    const logDeadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < logDeadline && !(text = (await log.textContent()) || '').trim()) await page.waitForTimeout(200);
    const lines = text.split('\n').filter((l) => l).length;
    if (!lines || lines > 20) throw new Error(`the log tail shows ${lines} lines`);
    console.log(`log tail lines: ${lines}`);
    await page.getByLabel('Follow', { exact: true }).check();
    await page.getByText(/following \(every/).waitFor();
    await page.screenshot({ path: path.join(shots, 'log.png') });
    await page.getByLabel('Follow', { exact: true }).uncheck();

    step('the nodes page shows node1 with a recent heartbeat');
    await page.getByRole('button', { name: 'Nodes', exact: true }).click();
    await page.getByRole('heading', { name: 'Nodes', exact: true }).waitFor();
    const row = page.getByRole('table', { name: 'Nodes' }).getByRole('row')
      .filter({ has: page.getByRole('cell', { name: node, exact: true }) });
    await row.waitFor();
    const cells = row.getByRole('cell');
    const present = (await cells.nth(1).textContent()).trim();
    const heartbeat = (await cells.nth(2).textContent()).trim();
    const age = /^(\d+) s ago/.exec(heartbeat);
    if (present !== 'active' || !age || Number(age[1]) > 120) {
      throw new Error(`node1 shows present '${present}', heartbeat '${heartbeat}'`);
    }
    console.log(`node1: ${present}, heartbeat ${heartbeat}, load ${(await cells.nth(3).textContent()).trim()}`);
    await page.screenshot({ path: path.join(shots, 'nodes.png') });

    step('back to the server from the tree');
    await page.getByRole('button', { name: server, exact: true }).click();
    await page.getByRole('heading', { name: server }).waitFor();
    if (await page.getByRole('heading', { name: 'Nodes', exact: true }).isVisible()) throw new Error('nodes page stayed');

    step("phone width: the charts, the log and the nodes page fit the screen");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('img', { name: /^Calls of testHello: \d+ points?$/ }).scrollIntoViewIfNeeded();
    await fitsWidth(page, 'the server page with charts and log at 390 px');
    await page.screenshot({ path: path.join(shots, 'phone-charts.png') });
    await page.getByRole('button', { name: 'Nodes', exact: true }).click();
    await page.getByRole('heading', { name: 'Nodes', exact: true }).waitFor();
    await fitsWidth(page, 'the nodes page at 390 px');

    console.log('all steps passed');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`failed: ${e.stack || e.message}`);
  process.exit(1);
});
