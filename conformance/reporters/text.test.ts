import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeBody, isBinary, visible } from './text.js';

/** Target bytes never drive the terminal: what a hostile target can send, and what must stay as it is. */
describe('visible', () => {
  it.each([
    ['a screen clear and a fake verdict', '\u001b[2J\u001b[HALL PASSED', '\\x1b[2J\\x1b[HALL PASSED'],
    ['an OSC 52 clipboard write', '\u001b]52;c;ZXZpbA==\u0007', '\\x1b]52;c;ZXZpbA==\\x07'],
    ['a NUL', 'a\u0000b', 'a\\x00b'],
    ['a carriage return that overwrites the line', 'FAILED\rPASSED', 'FAILED\\rPASSED'],
    ['a C1 CSI', 'x\u009b31m', 'x\\x9b31m'],
    ['a right-to-left override', 'abc\u202edef', 'abc\\u202edef'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['a line feed and a tab on one line', 'a\nb\tc', 'a\\nb\\tc'],
  ])('makes %s visible', (_name, given, want) => {
    expect(visible(given)).toBe(want);
  });

  it.each([
    ['plain ASCII', 'expected 200, got 500: {"error":"x"}'],
    ['accents, CJK and emoji', 'café — 東京 — 🚀'],
    ['markup (escaping is the format’s job)', '<b>&amp;</b>'],
    ['a backslash-x already written as text', 'C:\\x1b'],
  ])('leaves %s as it is', (_name, given) => {
    expect(visible(given)).toBe(given);
  });

  it('keeps line feeds and tabs in multi-line mode, but still shows a carriage return and an escape', () => {
    expect(visible('a\nb\tc\r\u001b', { multiline: true })).toBe('a\nb\tc\\r\\x1b');
  });

  it('summarises a stretch of binary (a gzip body read as text) instead of dumping it', () => {
    const gzip = gzipSync(Buffer.from('x'.repeat(10_000))).toString('utf8');
    const shown = visible(`body: ${gzip} end`);
    expect(shown).toMatch(/^body: .*‹binary data: \d+ characters not shown›.* end$/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: none may remain.
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(shown.length).toBeLessThan(gzip.length + 20);
  });
});

describe('describeBody and isBinary', () => {
  it('summarises a body declared binary, or mostly not text', () => {
    expect(describeBody('\u001f\ufffd\b', { 'content-type': 'application/gzip' }, 123)).toBe(
      '‹binary body: 123 bytes, application/gzip — not shown›',
    );
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('utf8');
    expect(isBinary(bytes)).toBe(true);
    expect(describeBody(bytes, { 'content-type': 'text/plain' }, 256)).toMatch(/^‹binary body: 256 bytes, text\/plain/);
    expect(describeBody('x', { 'content-encoding': 'br' }, 1)).toMatch(/br encoded — not shown›$/);
  });

  it('shows a text body with a few escapes as text', () => {
    expect(isBinary('ok \u001b[2J ALL PASSED and more ordinary text around it')).toBe(false);
    expect(describeBody('{"a":"\u001b[31m"}', { 'content-type': 'application/json' }, 14)).toBe('{"a":"\\x1b[31m"}');
    expect(describeBody('', {}, 0)).toBe('');
  });
});
