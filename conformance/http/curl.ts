import type { SecuritySchemeSpec } from '../../core/operations.js';
import type { PlannedRequest } from '../types.js';

/**
 * Secrets never reach a report or a log. `redact` replaces each with `***`; `curlFor` replaces each with a
 * reference to the environment variable that holds it (`$MCP_CONTRACTS_AUTH_BASIC`), so a curl line can be
 * pasted as is after exporting that variable, and still shows no secret.
 */
export interface Secret {
  /** The credential as given (`user:pass`, a token). */
  value: string;
  /** Where the user keeps it: `MCP_CONTRACTS_AUTH_<SCHEME>`. */
  envName: string;
  /**
   * Where its scheme puts it on a request (`carriersOf`): when two schemes hold the same value (the README's demo
   * credentials do), a curl line names the variable of the scheme that put it there, not the first one given.
   */
  carriers?: string[];
}

/** The places a security scheme puts its credential: `authorization`, `header:<name>`, `query:<name>`, `cookie`. */
export function carriersOf(scheme: SecuritySchemeSpec): string[] {
  if (scheme.type === 'apiKey' && scheme.paramName && scheme.in) {
    return scheme.in === 'cookie'
      ? ['cookie']
      : [`${scheme.in}:${scheme.in === 'header' ? scheme.paramName.toLowerCase() : scheme.paramName}`];
  }
  return ['authorization'];
}

export interface Redactor {
  redact(text: string): string;
  /**
   * The request with every credential blanked where its scheme puts it (the header, query parameter or cookie
   * the scheme names, the `Authorization` token), whatever its length, then `redact` on the rest: a 2-character
   * key is too short to look for in a body, but never too short to hide where it was sent.
   */
  redactRequest<R extends { url: string; headers: Record<string, string> }>(request: R): R;
  curlFor(request: PlannedRequest & { url: string }): string;
}

/** Where a secret may sit: a scheme of it puts it at `carrier`, or nothing says where it goes (any place). */
const placedAt = (s: Secret, carrier: string) => s.value !== '' && (s.carriers ?? [carrier]).includes(carrier);

const decodeQuery = (x: string) => {
  try {
    return decodeURIComponent(x.replace(/\+/g, ' '));
  } catch {
    return x;
  }
};

/**
 * The request with the value at each place a scheme puts a credential replaced by `mark(secret)` when it is that
 * secret, compared whole (never searched for): that works for a secret of any length.
 */
function markCarriers<R extends { url: string; headers: Record<string, string> }>(
  secrets: Secret[],
  request: R,
  mark: (secret: Secret) => string,
): { request: R; changed: Set<string> } {
  const changed = new Set<string>();
  const find = (carrier: string, value: string) => secrets.find((s) => placedAt(s, carrier) && s.value === value);
  const basicOf = (s: Secret) => Buffer.from(s.value.includes(':') ? s.value : `${s.value}:`).toString('base64');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    let out = value;
    if (lower === 'authorization') {
      const token = /^(\S+\s+)(\S+)$/.exec(value);
      const owner =
        token &&
        (find('authorization', token[2]!) ??
          (/^basic\s/i.test(token[1]!)
            ? secrets.find((s) => placedAt(s, 'authorization') && basicOf(s) === token[2])
            : undefined));
      const whole = find('header:authorization', value);
      if (token && owner) out = `${token[1]}${mark(owner)}`;
      else if (whole) out = mark(whole);
    } else if (lower === 'cookie') {
      out = value
        .split(';')
        .map((pair) => {
          const at = pair.indexOf('=');
          const owner = at < 0 ? undefined : find('cookie', pair.slice(at + 1).trim());
          return owner ? `${pair.slice(0, at + 1)}${mark(owner)}` : pair;
        })
        .join(';');
    } else {
      const owner = find(`header:${lower}`, value);
      if (owner) out = mark(owner);
    }
    if (out !== value) changed.add(name);
    headers[name] = out;
  }
  let url = request.url;
  const q = url.indexOf('?');
  if (q >= 0) {
    const hash = url.indexOf('#', q);
    const end = hash < 0 ? url.length : hash;
    const query = url
      .slice(q + 1, end)
      .split('&')
      .map((pair) => {
        const at = pair.indexOf('=');
        const owner =
          at < 0 ? undefined : find(`query:${decodeQuery(pair.slice(0, at))}`, decodeQuery(pair.slice(at + 1)));
        return owner ? `${pair.slice(0, at + 1)}${mark(owner)}` : pair;
      })
      .join('&');
    const next = `${url.slice(0, q + 1)}${query}${url.slice(end)}`;
    if (next !== url) changed.add('url');
    url = next;
  }
  return { request: { ...request, url, headers }, changed };
}

export function createRedactor(secrets: Secret[]): Redactor {
  // Every text a secret may come back as maps to what replaces it. Exact forms (as given, or percent-encoded the
  // way the request carried it) become a reference to the secret's environment variable in curl lines; every
  // other form, and any part of a `user:pass`, is blanked. Whole secrets first, so an exact secret wins over a
  // part of another one that has the same text.
  const forms = new Map<string, { env: string; exact: boolean }>();
  const add = (text: string, env: string, exact: boolean) => {
    if (text.length >= 3 && !forms.has(text)) forms.set(text, { env, exact });
  };
  const usable = secrets.filter((s) => s.value.length >= 3);
  for (const s of usable) for (const text of requestForms(s.value)) add(text, s.envName, true);
  for (const s of usable) {
    for (const text of echoedForms(s.value)) add(text, s.envName, false);
    const userPass = s.value.includes(':') ? s.value : `${s.value}:`;
    for (const text of base64Forms(userPass)) add(text, s.envName, false);
    for (const text of base64Forms(s.value)) add(text, s.envName, false);
    for (const part of s.value.split(':')) {
      if (part.length < 3 || part === s.value) continue;
      for (const text of [...requestForms(part), ...echoedForms(part), ...base64Forms(part)])
        add(text, s.envName, false);
    }
  }
  // A JSON encoder may escape any character, some and not others (`\u0074k\"q…`): each secret (and part) also
  // matches with every character as written, JSON-escaped or `\uXXXX` in either case. Tried first: it covers the
  // plain form too.
  const mixed = usable.flatMap((s) => [s.value, ...s.value.split(':').filter((p) => p.length >= 3 && p !== s.value)]);
  // One pass over the text, longest form first, so that no form is cut by a shorter one.
  const pattern =
    forms.size === 0
      ? undefined
      : new RegExp(
          [
            ...mixed.sort((a, b) => b.length - a.length).map(anyJsonEscaping),
            ...[...forms.keys()]
              .sort((a, b) => b.length - a.length)
              .map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
          ].join('|'),
          'g',
        );
  const redact = (text: string): string => (pattern ? text.replace(pattern, '***') : text);
  // Exact forms shared by several secrets (one value given for two schemes): every owner, to pick by place.
  const owners = new Map<string, Secret[]>();
  for (const s of usable) for (const text of requestForms(s.value)) owners.set(text, [...(owners.get(text) ?? []), s]);
  const envFor = (match: string, fallback: string, place: (carrier: string) => boolean): string =>
    owners.get(match)?.find((s) => s.carriers?.some(place))?.envName ?? fallback;
  const withEnv = (
    text: string,
    place: (carrier: string) => boolean = () => false,
  ): { text: string; changed: boolean } => {
    if (!pattern) return { text, changed: false };
    const out = text.replace(pattern, (match) => {
      const form = forms.get(match);
      return form?.exact ? `\${${envFor(match, form.env, place)}}` : '***';
    });
    return { text: out, changed: out !== text };
  };
  const basicEnv = (encoded: string): string | undefined => {
    for (const s of secrets) {
      const userPass = s.value.includes(':') ? s.value : `${s.value}:`;
      if (Buffer.from(userPass).toString('base64') === encoded) return s.envName;
    }
    return undefined;
  };
  return {
    redact,
    redactRequest(request) {
      const blanked = markCarriers(secrets, request, () => '***').request;
      return {
        ...blanked,
        url: redact(blanked.url),
        headers: Object.fromEntries(Object.entries(blanked.headers).map(([name, value]) => [name, redact(value)])),
      };
    },
    curlFor(original) {
      const parts = ['curl', '-sS', '-i', '-X', original.method];
      const { request, changed } = markCarriers(secrets, original, (s) => `\${${s.envName}}`);
      const url = withEnv(request.url, (c) => c.startsWith('query:'));
      parts.push(url.changed || changed.has('url') ? doubleQuote(url.text) : shellQuote(request.url));
      for (const [name, value] of Object.entries(request.headers)) {
        if (name === 'content-length') continue;
        const basic = /^basic\s+(\S+)$/i.exec(original.headers[name] ?? value);
        const env = basic ? basicEnv(basic[1]!) : undefined;
        if (name === 'authorization' && env) {
          const secret = secrets.find((s) => s.envName === env);
          // curl -u USER alone prompts for a password: keep the empty one explicit.
          parts.push('-u', secret && !secret.value.includes(':') ? `"\${${env}}:"` : `"\${${env}}"`);
          continue;
        }
        const carrier = name === 'authorization' ? 'authorization' : name === 'cookie' ? 'cookie' : `header:${name}`;
        const header = withEnv(`${name}: ${value}`, (c) => c === carrier);
        parts.push('-H', header.changed || changed.has(name) ? doubleQuote(header.text) : shellQuote(header.text));
      }
      // --data-raw sends its argument byte for byte (no @file, no newline stripping). A body with line breaks or
      // control characters (multipart) is written in bash's $'…' quoting so the line stays one line.
      if (request.body !== undefined) parts.push('--data-raw', bodyQuote(redact(request.body)));
      return parts.join(' ');
    },
  };
}

/** The forms a secret takes in a request: as given, and percent-encoded (`%20` and `+` styles) in a query. */
function requestForms(value: string): string[] {
  return [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
}

/**
 * The forms a secret takes when a target echoes it back: inside a JSON string (escaped `"` and `\\`, `/` as `\\/`,
 * non-ASCII and HTML-sensitive characters as `\\uXXXX` in either case, a JSON string inside a JSON string),
 * percent-encoded with lower-case hex or RFC 3986's stricter set, and HTML-escaped (named, decimal, hex).
 */
export function echoedForms(value: string): string[] {
  const out = new Set<string>();
  for (const slash of [false, true]) {
    for (const unicode of ['raw', 'lower', 'upper'] as const) {
      for (const html of [false, true]) out.add(jsonEscape(value, { slash, unicode, html }));
    }
  }
  out.add(
    jsonEscape(jsonEscape(value, { slash: false, unicode: 'raw', html: false }), {
      slash: false,
      unicode: 'raw',
      html: false,
    }),
  );
  for (const encoded of requestForms(value).slice(1)) {
    out.add(encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
    const strict = encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    out.add(strict);
    out.add(strict.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
  }
  for (const style of htmlStyles) out.add(value.replace(/[&<>"']/g, (c) => style[c] ?? c));
  out.delete(value);
  return [...out];
}

const htmlStyles: Array<Record<string, string>> = [
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' },
  { '&': '&#38;', '<': '&#60;', '>': '&#62;', '"': '&#34;', "'": '&#39;' },
  { '&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;', '"': '&#x22;', "'": '&#x27;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;' },
];

function jsonEscape(
  value: string,
  options: { slash: boolean; unicode: 'raw' | 'lower' | 'upper'; html: boolean },
): string {
  const u = (c: string) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${options.unicode === 'upper' ? hex.toUpperCase() : hex}`;
  };
  let out = JSON.stringify(value).slice(1, -1);
  if (options.slash) out = out.replace(/\//g, '\\/');
  if (options.html)
    out = out.replace(/[<>&'=]/g, (c) =>
      options.unicode === 'upper' ? u(c).toUpperCase().replace('\\U', '\\u') : u(c),
    );
  // Per UTF-16 code unit, so characters outside the BMP become surrogate pairs as JSON encoders write them.
  if (options.unicode !== 'raw') out = out.replace(/[\u0080-\uffff]/g, u);
  return out;
}

/** Standard and URL-safe base64, with and without padding. */
function base64Forms(text: string): string[] {
  const standard = Buffer.from(text).toString('base64');
  const url = Buffer.from(text).toString('base64url');
  return [...new Set([standard, standard.replace(/=+$/, ''), url, `${url}${'='.repeat((4 - (url.length % 4)) % 4)}`])];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped.
const controlOrQuote = /[\\']|[\u0000-\u001f\u007f]/g;
const ansiEscapes: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Single quotes for a one-line body; bash's $'…' (ANSI-C quoting) when it holds line breaks or control bytes. */
function bodyQuote(body: string): string {
  let control = false;
  const escaped = body.replace(controlOrQuote, (c) => {
    if (c !== '\\' && c !== "'") control = true;
    return ansiEscapes[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return control ? `$'${escaped}'` : shellQuote(body);
}

export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Double quotes so the shell expands `${VAR}`; everything else that is special inside them is escaped. */
function doubleQuote(value: string): string {
  return `"${value.replace(/(["\\`])/g, '\\$1').replace(/\$(?!\{MCP_CONTRACTS_AUTH_)/g, '\\$')}"`;
}

/** A pattern matching `text` with each character as written, JSON-escaped (`\"`, `\\`, `\/`) or as `\uXXXX`. */
function anyJsonEscaping(text: string): string {
  const re = (x: string) => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [...text]
    .map((c) => {
      const units = c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)];
      const unicode = units
        .map(
          (u) =>
            `${re('\\u')}${u
              .toString(16)
              .padStart(4, '0')
              .replace(/[a-f]/g, (h) => `[${h}${h.toUpperCase()}]`)}`,
        )
        .join('');
      const escaped = c === '"' || c === '\\' || c === '/' ? `|${re(`\\${c}`)}` : '';
      return `(?:${re(c)}|${unicode}${escaped})`;
    })
    .join('');
}
