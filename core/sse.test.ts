import { describe, expect, it } from 'vitest';
import { formatSseEvent, parseSse } from './sse.js';

describe('parseSse', () => {
  it.each([
    ['one event', 'data: {"a":1}\n\n', [{ event: 'message', data: '{"a":1}', id: undefined, retry: undefined }], []],
    [
      'named event with id, CRLF',
      'event: message\r\nid: 7\r\ndata: x\r\n\r\n',
      [{ event: 'message', data: 'x', id: '7', retry: undefined }],
      [],
    ],
    [
      'multi-line data and comments',
      ': hi\ndata: a\ndata: b\n\n',
      [{ event: 'message', data: 'a\nb', id: undefined, retry: undefined }],
      [],
    ],
    [
      'unterminated last event',
      'data: a\n\ndata: b',
      [{ event: 'message', data: 'a', id: undefined, retry: undefined }],
      ['the stream ends inside an event (no blank line after its last data line)'],
    ],
    [
      'unknown field',
      'foo: 1\ndata: a\n\n',
      [{ event: 'message', data: 'a', id: undefined, retry: undefined }],
      ["line 1: unknown field 'foo'"],
    ],
  ])('%s', (_name, body, events, problems) => {
    expect(parseSse(body)).toEqual({ events, problems });
  });

  it('round-trips what formatSseEvent writes', () => {
    const body = formatSseEvent({ event: 'message', id: '1', data: '{"x":\n1}' }) + formatSseEvent({ data: 'y' });
    expect(parseSse(body).events.map((e) => e.data)).toEqual(['{"x":\n1}', 'y']);
  });
});
