/** RFC 6901 JSON pointers: the one way this project names a place inside a spec. */

export function escapeSegment(segment: string | number): string {
  const s = String(segment);
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => `/${escapeSegment(s)}`).join('');
}

export function parsePointer(pointer: string): string[] {
  const p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  if (!p.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  const segments = p.slice(1).split('/');
  // Most segments hold neither `%` nor `~`: leave those as they are (parsing pointers is on every lookup's path).
  if (!p.includes('%') && !p.includes('~')) return segments;
  return segments.map((s) => unescapeSegment(decodeURIComponentSafe(s)));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function appendPointer(pointer: string, ...segments: Array<string | number>): string {
  return pointer + toPointer(segments);
}

const missing = Symbol('missing');

/** The value at `pointer` in `root`, or `undefined` when any segment is absent. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  const value = resolvePointer(root, parsePointer(pointer));
  return value === missing ? undefined : value;
}

export function hasPointer(root: unknown, pointer: string): boolean {
  return resolvePointer(root, parsePointer(pointer)) !== missing;
}

function resolvePointer(root: unknown, segments: string[]): unknown {
  let node: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return missing;
      node = node[index];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, segment)) return missing;
      node = (node as Record<string, unknown>)[segment];
    } else {
      return missing;
    }
  }
  return node;
}
