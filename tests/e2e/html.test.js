// Valid HTML: the bytes Tearsheet serves for every page type pass the Nu HTML Checker (vnu).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  SETUP_TIMEOUT, TEST_TIMEOUT, checkHtml, closePage, newPage, pageTypes, startStack,
} from './support.js';

describe('valid HTML', { timeout: SETUP_TIMEOUT }, () => {
  let stack;
  before(async () => { stack = await startStack(); }, { timeout: SETUP_TIMEOUT });
  after(async () => { await stack?.close(); });

  test('every page type passes vnu with no errors', { timeout: 3 * TEST_TIMEOUT }, async () => {
    const documents = {};
    const page = await newPage(stack);
    try {
      for (const type of await pageTypes(stack)) {
        const response = await type.open(page);
        assert.match(response.headers()['content-type'], /^text\/html; charset=utf-8$/i,
          `${type.name} is served as HTML`);
        documents[type.name] = await response.body();
      }
    } finally {
      await closePage(page);
    }
    const messages = await checkHtml(documents);
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(documents).sort(), 'vnu checked every page');
    const errors = Object.entries(messages).flatMap(([name, list]) => list
      .filter((message) => message.type !== 'info')
      .map((message) => `${name}:${message.lastLine ?? '?'}: ${message.type}: ${message.message} [${(message.extract ?? '').trim()}]`));
    assert.deepEqual(errors, [], errors.join('\n'));
  });
});
