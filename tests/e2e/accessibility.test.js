// Accessibility in a real browser: axe-core on every page type in light and dark, and the
// keyboard: a skip link, a visible focus, every action reachable with Tab; titles name articles.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KNOWN } from './fixtures.js';
import {
  SETUP_TIMEOUT, TEST_TIMEOUT, articlesByTitle, axeViolations, closePage, newPage, pageTypes,
  startStack, visit,
} from './support.js';

/** What Tab should reach: every visible link, button and field. */
const ACTIONS = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';

/**
 * Presses Tab until focus comes back to an element it has already been on (past the end of the
 * page focus leaves the document, then starts again at the top), and returns what each press
 * focused: its index among ACTIONS (-1 for anything else), whether it shows a focus indicator,
 * and whether it is on screen.
 */
async function tabThrough(page) {
  const count = await page.evaluate((selector) => {
    document.querySelectorAll(selector).forEach((element, index) => {
      element.dataset.e2eAction = String(index);
    });
    return document.querySelectorAll(selector).length;
  }, ACTIONS);
  const stops = [];
  const seen = new Set();
  for (let press = 0; press < 2 * count + 5; press += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const rect = element.getBoundingClientRect();
      return {
        index: Number(element.dataset.e2eAction ?? -1),
        name: `${element.tagName.toLowerCase()} "${(element.textContent || element.getAttribute('aria-label') || element.id).trim().slice(0, 40)}"`,
        focusVisible: element.matches(':focus-visible'),
        indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
          || style.boxShadow !== 'none',
        onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
          && rect.top < innerHeight && rect.left < innerWidth,
      };
    });
    if (stop === null) continue;
    const key = stop.index >= 0 ? stop.index : stop.name;
    if (seen.has(key)) break;
    seen.add(key);
    stops.push(stop);
  }
  return { count, stops };
}

describe('accessibility', { timeout: SETUP_TIMEOUT }, () => {
  let stack;
  let types;
  before(async () => {
    stack = await startStack();
    types = await pageTypes(stack);
  }, { timeout: SETUP_TIMEOUT });
  after(async () => { await stack?.close(); });

  for (const colorScheme of ['light', 'dark']) {
    test(`axe finds no violations on any page, ${colorScheme}`, { timeout: 3 * TEST_TIMEOUT }, async () => {
      const page = await newPage(stack, { colorScheme });
      const found = [];
      try {
        for (const type of types) {
          await type.open(page);
          for (const violation of await axeViolations(page)) found.push(`${type.name}: ${violation}`);
        }
      } finally {
        await closePage(page);
      }
      assert.deepEqual(found, [], `axe violations (${colorScheme}):\n${found.join('\n')}`);
    });
  }

  test('the skip link is the first stop, shows when focused and moves to the content', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    try {
      await visit(stack, page, '/');
      await page.keyboard.press('Tab');
      const skip = page.locator(':focus');
      assert.equal((await skip.textContent()).trim(), 'Skip to content');
      const box = await skip.boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 0, `visible when focused: ${JSON.stringify(box)}`);
      await Promise.all([page.waitForURL((url) => url.hash === '#main'), page.keyboard.press('Enter')]);
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => ({
        inMain: document.activeElement.closest('main') !== null,
        text: document.activeElement.textContent.trim(),
      }));
      assert.ok(next.inMain, `the next Tab lands in the content, not the header: ${next.text}`);
      assert.equal(next.text, KNOWN.newestTitle, 'the first thing in the content is the newest article');
    } finally {
      await closePage(page);
    }
  });

  test('Tab reaches every action on each page, each with a visible focus indicator', { timeout: 3 * TEST_TIMEOUT }, async () => {
    const page = await newPage(stack);
    const problems = [];
    try {
      for (const type of types.filter((t) => ['listing', 'listing-older', 'article-related', 'add', 'add-error', 'search', 'sites', 'delete', 'not-found'].includes(t.name))) {
        await type.open(page);
        const { count, stops } = await tabThrough(page);
        const reached = new Set(stops.map((stop) => stop.index));
        for (let index = 0; index < count; index += 1) {
          if (!reached.has(index)) problems.push(`${type.name}: action ${index} is never reached by Tab`);
        }
        for (const stop of stops) {
          if (stop.index < 0) problems.push(`${type.name}: Tab stops on ${stop.name}, which is not an action`);
          if (!stop.focusVisible || !stop.indicator) problems.push(`${type.name}: no visible focus on ${stop.name}`);
          if (!stop.onScreen) problems.push(`${type.name}: ${stop.name} is off screen when focused`);
        }
        if (count < 5) problems.push(`${type.name}: only ${count} actions found`);
      }
    } finally {
      await closePage(page);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  test('the title of an article page names the article', { timeout: TEST_TIMEOUT }, async () => {
    const articles = await articlesByTitle(stack);
    const page = await newPage(stack);
    try {
      for (const title of [KNOWN.articleTitle, KNOWN.cyrillicTitle, '<script>alert(1)</script>']) {
        await visit(stack, page, articles.get(title).permalink);
        assert.equal(await page.locator('h1').textContent(), title);
        assert.equal(await page.title(), `${title} · Tearsheet`);
      }
    } finally {
      await closePage(page);
    }
  });
});
