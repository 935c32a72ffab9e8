// What the console's browser scripts share: the browser (Debian's chromium through
// playwright-core, never a downloaded one), the login, and bounded polling.
'use strict';

const { chromium } = require('playwright-core');

const timeoutMs = 30000;

function step(text) { console.log(`step: ${text}`); }

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

// Opens url and logs in with the login form's controls; resolves once the tree is shown.
async function login(page, url, user, password) {
  await page.goto(url);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Services' }).waitFor();
}

// Calls probe until it returns something truthy; at most `tries` calls within ms.
async function pollUntil(page, probe, what, ms = timeoutMs, tries = 300) {
  const deadline = Date.now() + ms;
  let last = null;
  for (let i = 0; i < tries && Date.now() < deadline; ++i) {
    try { last = await probe(); } catch (e) { last = null; }
    if (last) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}: not within ${ms / 1000} s`);
}

module.exports = { launch, login, pollUntil, step, timeoutMs };
