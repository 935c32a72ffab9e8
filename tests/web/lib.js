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

// Throws unless the page fits its viewport's width: nothing makes the whole page scroll
// sideways (a wide table scrolls inside its own box). Names the widest offenders.
async function fitsWidth(page, what) {
  const wide = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= limit + 1) return [];
    // Inside a box that scrolls or clips sideways, a wide element is that box's business.
    const clipped = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
      }
      return false;
    };
    const name = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''}`;
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > limit + 1 && e.offsetParent !== null && !clipped(e))
      .slice(0, 6)
      .map((e) => `${name(e)} (${Math.round(e.getBoundingClientRect().right)} px${e.parentElement ? ' in ' + name(e.parentElement) : ''})`);
  });
  if (wide.length) throw new Error(`${what} is wider than the screen: ${wide.join(', ')}`);
}

module.exports = { fitsWidth, launch, login, pollUntil, step, timeoutMs };
