/**
 * Target bytes never drive a terminal or a viewer. Every string a target sent (and every other string a report
 * shows) goes through `visible` before it is printed or written: control characters become `\xNN` / `\uNNNN`
 * text, so an escape sequence (a screen clear and a fake "ALL PASSED", an OSC 52 clipboard write), a NUL, a
 * carriage return that overwrites a line, or a bidirectional override that reorders one is shown, not obeyed.
 * A stretch that is mostly such characters (a gzip body read as text) is summarised, not dumped.
 *
 * Hand-written rather than a library: the set of characters is small and ours to decide (C0, DEL, C1, the
 * Unicode line separators, bidi and zero-width controls, XML's non-characters), and a binary summary is not
 * something a string-escaping library does.
 */

const unsafe =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is looked for.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]/;
const replacement = '\ufffd';

function isBad(c: string, multiline: boolean): boolean {
  if (c === '\n' || c === '\t') return !multiline;
  return unsafe.test(c) || c === replacement;
}

function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  if (c === replacement) return c;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Bad characters closer together than this belong to one stretch. */
const gap = 8;
/** A stretch with at least this many bad characters is binary: summarised. */
const binaryRun = 12;

/**
 * `text` with every control character made visible. `multiline` keeps line feeds and tabs (an HTML `<pre>`, a
 * JUnit body); otherwise they are shown as `\n` and `\t` too, so one value stays one line.
 */
export function visible(text: string, options: { multiline?: boolean } = {}): string {
  const multiline = options.multiline === true;
  if (!hasBad(text, multiline)) return text;
  const chars = [...text];
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (!isBad(c, multiline)) {
      out += c;
      i++;
      continue;
    }
    // A stretch: from this bad character to the last one followed by fewer than `gap` good ones.
    let end = i;
    let bad = 0;
    let j = i;
    while (j < chars.length && j - end <= gap) {
      if (isBad(chars[j]!, multiline)) {
        bad++;
        end = j;
      }
      j++;
    }
    if (bad >= binaryRun) {
      const length = end - i + 1;
      out += `‹binary data: ${length} characters not shown›`;
      i = end + 1;
    } else {
      out += escapeChar(c);
      i++;
    }
  }
  return out;
}

function hasBad(text: string, multiline: boolean): boolean {
  for (const c of text) if (isBad(c, multiline)) return true;
  return false;
}

/**
 * One line about a body for a report: the text itself (visible), or for a binary one (declared binary, or
 * mostly bytes that are not text) a summary of its size and type.
 */
export function describeBody(
  body: string,
  headers: Record<string, string>,
  bodyBytes: number,
  options: { multiline?: boolean } = {},
): string {
  if (body === '') return bodyBytes > 0 ? `‹${bodyBytes} bytes, not shown›` : '';
  const type = headers['content-type'] ?? '';
  const encoding = headers['content-encoding'] ?? '';
  if (isBinary(body, type, encoding)) {
    return `‹binary body: ${bodyBytes} bytes${type ? `, ${visible(type)}` : ''}${encoding ? `, ${visible(encoding)} encoded` : ''} — not shown›`;
  }
  return visible(body, options);
}

export function isBinary(body: string, contentType = '', contentEncoding = ''): boolean {
  if (/^(image|audio|video|font)\/|application\/(octet-stream|zip|gzip|x-gzip|pdf|x-tar)/i.test(contentType))
    return true;
  if (contentEncoding && !/^(identity)?$/i.test(contentEncoding.trim())) return true;
  const sample = body.slice(0, 4096);
  let bad = 0;
  for (const c of sample) if (c === replacement || (unsafe.test(c) && c !== '\r')) bad++;
  return sample.length > 0 && bad / sample.length > 0.3;
}
