// Layout: on a 375 px phone no page scrolls sideways, text is at least 16 px and tap targets are at
// least 44 px; and screenshots of the listing and an article, light and dark, desktop and phone.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KNOWN } from './fixtures.js';
import {
  DESKTOP, PHONE, SCREENSHOTS, SETUP_TIMEOUT, TEST_TIMEOUT, articlesByTitle, closePage, newPage,
  pageTypes, screenshot, startStack, visit,
} from './support.js';

/** Links, buttons and fields; those inside an article's prose are exempt from the size rule
 *  (WCAG 2.5.8's inline exception: a link in a sentence is as tall as the line). */
const TARGETS = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';
const PROSE = '.reading .body';

/** What breaks the phone layout on the page shown, one line each. */
function phoneProblems(page) {
  return page.evaluate(({ targets, prose }) => {
    const problems = [];
    const root = document.documentElement;
    // A phone widens the layout to fit content wider than the screen; then nothing scrolls,
    // but the page is zoomed out.
    if (innerWidth !== screen.width) problems.push(`laid out ${innerWidth} px wide on a ${screen.width} px screen`);
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
    }
    const describe = (element) => `${element.tagName.toLowerCase()}${element.className ? `.${element.className}` : ''} "${element.textContent.trim().slice(0, 30)}"`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || element.closest('.visually-hidden')) continue;
      if (element.getClientRects().length === 0) continue;
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (size < 16) problems.push(`text of ${size} px: ${describe(element)}`);
    }
    for (const element of document.querySelectorAll(targets)) {
      if (element.closest(prose)) continue;
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (rect.width < 44 || rect.height < 44) {
        problems.push(`tap target ${Math.round(rect.width)}x${Math.round(rect.height)} px: ${describe(element)}`);
      }
    }
    return problems;
  }, { targets: TARGETS, prose: PROSE });
}

describe('layout', { timeout: SETUP_TIMEOUT }, () => {
  let stack;
  before(async () => { stack = await startStack(); }, { timeout: SETUP_TIMEOUT });
  after(async () => { await stack?.close(); });

  test('at 375 px: no sideways scroll, text >= 16 px, tap targets >= 44 px', { timeout: 3 * TEST_TIMEOUT }, async () => {
    const page = await newPage(stack, PHONE);
    const problems = [];
    try {
      for (const type of await pageTypes(stack)) {
        await type.open(page);
        for (const problem of await phoneProblems(page)) problems.push(`${type.name}: ${problem}`);
      }
    } finally {
      await closePage(page);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  test(`screenshots of the listing and an article are written to ${SCREENSHOTS}`, { timeout: 2 * TEST_TIMEOUT }, async () => {
    const article = (await articlesByTitle(stack)).get(KNOWN.articleTitle).permalink;
    for (const [device, options] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      for (const colorScheme of ['light', 'dark']) {
        const page = await newPage(stack, { ...options, colorScheme });
        try {
          await visit(stack, page, '/');
          await screenshot(page, `listing-${device}-${colorScheme}`);
          await visit(stack, page, article);
          // The whole article on the phone; on the desktop the first screen (as in README).
          await screenshot(page, `article-${device}-${colorScheme}`, { fullPage: device === 'phone' });
        } finally {
          await closePage(page);
        }
      }
      for (const name of ['listing', 'article']) {
        const [light, dark] = await Promise.all(['light', 'dark']
          .map((scheme) => readFile(path.join(SCREENSHOTS, `${name}-${device}-${scheme}.png`))));
        assert.ok(light.length > 10_000, `${name}-${device}-light.png has content`);
        assert.ok(!light.equals(dark), `${name}-${device}: dark differs from light`);
      }
    }
  });
});
