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
}

export interface Redactor {
  redact(text: string): string;
  curlFor(request: PlannedRequest & { url: string }): string;
}

export function createRedactor(secrets: Secret[]): Redactor {
  // Every form a secret can take on the wire: as given, Basic-encoded, percent-encoded in a query. The parts of
  // a `user:pass` are redacted too, but only whole secrets are ever mapped to an environment variable.
  const forms: Array<{ text: string; env: string; kind: 'exact' | 'basic' | 'part' }> = [];
  for (const s of secrets) {
    if (s.value.length < 3) continue;
    const userPass = s.value.includes(':') ? s.value : `${s.value}:`;
    forms.push({ text: Buffer.from(userPass).toString('base64'), env: s.envName, kind: 'basic' });
    forms.push({ text: s.value, env: s.envName, kind: 'exact' });
    for (const encoded of [encodeURIComponent(s.value), new URLSearchParams({ v: s.value }).toString().slice(2)]) {
      if (encoded !== s.value) forms.push({ text: encoded, env: s.envName, kind: 'exact' });
    }
    for (const part of s.value.split(':')) {
      if (part.length >= 3 && part !== s.value) forms.push({ text: part, env: s.envName, kind: 'part' });
    }
  }
  // Longest first, and an exact secret before a part of another one of the same length.
  forms.sort((a, b) => b.text.length - a.text.length || (a.kind === 'part' ? 1 : 0) - (b.kind === 'part' ? 1 : 0));
  const redact = (text: string): string => {
    let out = text;
    for (const f of forms) out = out.split(f.text).join('***');
    return out;
  };
  const withEnv = (text: string): { text: string; changed: boolean } => {
    let out = text;
    for (const f of forms) if (f.kind === 'exact') out = out.split(f.text).join(`\${${f.env}}`);
    // Whatever is left of a secret (a part of a user:pass) is redacted outright.
    out = redact(out);
    return { text: out, changed: out !== text };
  };
  return {
    redact,
    curlFor(request) {
      const parts = ['curl', '-sS', '-i', '-X', request.method];
      const url = withEnv(request.url);
      parts.push(url.changed ? doubleQuote(url.text) : shellQuote(request.url));
      for (const [name, value] of Object.entries(request.headers)) {
        if (name === 'content-length') continue;
        const basic = /^basic\s+(\S+)$/i.exec(value);
        const form = basic ? forms.find((f) => f.kind === 'basic' && f.text === basic[1]) : undefined;
        if (name === 'authorization' && form) {
          const secret = secrets.find((s) => s.envName === form.env);
          // curl -u USER alone prompts for a password: keep the empty one explicit.
          parts.push('-u', secret && !secret.value.includes(':') ? `"\${${form.env}}:"` : `"\${${form.env}}"`);
          continue;
        }
        const header = withEnv(`${name}: ${value}`);
        parts.push('-H', header.changed ? doubleQuote(header.text) : shellQuote(header.text));
      }
      if (request.body !== undefined) parts.push('--data-raw', shellQuote(redact(request.body)));
      return parts.join(' ');
    },
  };
}

export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Double quotes so the shell expands `${VAR}`; everything else that is special inside them is escaped. */
function doubleQuote(value: string): string {
  return `"${value.replace(/(["\\`])/g, '\\$1').replace(/\$(?!\{MCP_CONTRACTS_AUTH_)/g, '\\$')}"`;
}
