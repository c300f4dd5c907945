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
  const forms: Array<{ text: string; env: string; basic: boolean }> = [];
  for (const s of secrets) {
    if (s.value.length < 3) continue;
    const userPass = s.value.includes(':') ? s.value : `${s.value}:`;
    forms.push({ text: Buffer.from(userPass).toString('base64'), env: s.envName, basic: true });
    forms.push({ text: s.value, env: s.envName, basic: false });
    for (const part of s.value.split(':'))
      if (part.length >= 3 && part !== s.value) forms.push({ text: part, env: s.envName, basic: false });
  }
  forms.sort((a, b) => b.text.length - a.text.length);
  const redact = (text: string): string => {
    let out = text;
    for (const f of forms) out = out.split(f.text).join('***');
    return out;
  };
  const withEnv = (text: string): { text: string; changed: boolean } => {
    let out = text;
    for (const f of forms) if (!f.basic) out = out.split(f.text).join(`\${${f.env}}`);
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
        const form = basic ? forms.find((f) => f.basic && f.text === basic[1]) : undefined;
        if (name === 'authorization' && form) {
          parts.push('-u', `"\${${form.env}}"`);
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
