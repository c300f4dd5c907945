/**
 * Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * parse a complete `text/event-stream` body into events, and format events for sending. The mock writes
 * with `formatSseEvent`; the conformance runner and tests read with `parseSse`.
 */
export interface SseEvent {
  /** `message` when the stream gave no `event:` field. */
  event: string;
  data: string;
  id: string | undefined;
  retry: number | undefined;
}

export interface SseParseResult {
  events: SseEvent[];
  /** Lines that are not `field: value`, a comment, or blank — a malformed stream. */
  problems: string[];
}

export function parseSse(body: string): SseParseResult {
  const events: SseEvent[] = [];
  const problems: string[] = [];
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;
  let hasData = false;
  const lines = body.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // A final line without a terminating blank line is an incomplete event and is discarded (per spec).
  lines.forEach((line, index) => {
    if (line === '') {
      if (hasData) events.push({ event: event || 'message', data: data.join('\n'), id, retry });
      data = [];
      event = '';
      retry = undefined;
      hasData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data.push(value);
        hasData = true;
        break;
      case 'event':
        event = value;
        break;
      case 'id':
        if (!value.includes('\0')) id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = Number(value);
        else problems.push(`line ${index + 1}: retry must be digits, got '${value}'`);
        break;
      default:
        problems.push(`line ${index + 1}: unknown field '${field}'`);
    }
  });
  if (hasData) problems.push('the stream ends inside an event (no blank line after its last data line)');
  return { events, problems };
}

export function formatSseEvent(event: { data: string; event?: string; id?: string; retry?: number }): string {
  const lines: string[] = [];
  if (event.event) lines.push(`event: ${event.event}`);
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  if (event.retry !== undefined) lines.push(`retry: ${event.retry}`);
  for (const line of event.data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}
