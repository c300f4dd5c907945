import { getAtPointer } from './json-pointer.js';
import { compilePathTemplate } from './operations.js';

/**
 * OpenAPI runtime expressions (OpenAPI 3.x "Runtime Expressions"), as links use them to carry a value from one
 * exchange to the next: `$url`, `$method`, `$statusCode`, `$request.{header.N|query.N|path.N|body#/ptr}` and
 * `$response.{header.N|body#/ptr}`. A text without a leading `$` is a constant and stands for itself.
 * The result is a string (objects and arrays as JSON) or undefined when the exchange has no such value.
 */
export interface ExpressionSource {
  request: { method: string; url: string; path: string; headers: Record<string, string>; body: string | undefined };
  response?: { status: number; headers: Record<string, string>; body: string } | undefined;
  /** The operation's path template, needed for `$request.path.<name>`. */
  operation?: { path: string } | undefined;
}

export function evaluateExpression(expression: string, source: ExpressionSource): string | undefined {
  const response = source.response;
  const header = /^\$(response|request)\.header\.(.+)$/.exec(expression);
  if (header) {
    const name = header[2]!.toLowerCase();
    return header[1] === 'response' ? response?.headers[name] : source.request.headers[name];
  }
  const body = /^\$(response|request)\.body(?:#(.*))?$/.exec(expression);
  if (body) {
    const text = body[1] === 'response' ? response?.body : source.request.body;
    if (!text) return undefined;
    try {
      const value = getAtPointer(JSON.parse(text), body[2] ?? '');
      return value === undefined || value === null
        ? undefined
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    } catch {
      return undefined;
    }
  }
  if (expression === '$statusCode') return response ? String(response.status) : undefined;
  if (expression === '$url') return source.request.url;
  if (expression === '$method') return source.request.method;
  const query = /^\$request\.query\.(.+)$/.exec(expression);
  if (query) return new URL(source.request.url).searchParams.get(query[1]!) ?? undefined;
  const path = /^\$request\.path\.(.+)$/.exec(expression);
  if (path && source.operation) {
    const values = compilePathTemplate(source.operation.path)(source.request.path);
    return values?.[path[1]!];
  }
  if (!expression.startsWith('$')) return expression;
  return undefined;
}
