import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { compiledFromText, operation, runSpecAgainst } from '../../test-helpers.js';
import type { ConformanceResult } from '../../types.js';
import { createRandom, fieldLabel, updateAt, ValueFactory } from '../values.js';

/**
 * Boundary cases below the top level of a body: two object levels down and through the first item of an array of
 * objects, level by level (the top-level fields first in the budget). A deployment that validates the fields it
 * sees first and passes nested ones on unchecked is a common way limits go unenforced.
 */

const ordersSpec = `openapi: 3.1.0
info: { title: orders, version: '1' }
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [note]
              properties:
                note: { type: string, maxLength: 5 }
                customer:
                  type: object
                  properties:
                    address:
                      type: object
                      properties:
                        postcode: { type: string, maxLength: 8 }
                        geo: { type: object, properties: { lat: { type: number, maximum: 90 } } }
                lines:
                  type: array
                  items:
                    type: object
                    required: [sku]
                    properties:
                      sku: { type: string }
                      quantity: { type: integer, minimum: 1, maximum: 99 }
            example: { note: hi, customer: { address: { postcode: AB1, geo: { lat: 10 } } }, lines: [{ sku: a, quantity: 2 }] }
      responses:
        '201': { description: created }
        '400': { description: bad order }
`;
const example = {
  note: 'hi',
  customer: { address: { postcode: 'AB1', geo: { lat: 10 } } },
  lines: [{ sku: 'a', quantity: 2 }],
};

describe('boundary cases below the top level of a body', async () => {
  const spec = await compiledFromText(ordersSpec, 'orders');
  const pointer = operation(spec, 'createOrder').requestBody!.content[0]!.schemaPointer;
  const f = new ValueFactory(spec, createRandom(1));

  it('go two levels down and into the first item of an array of objects, level by level, and no deeper', () => {
    const planned = f.boundaryBodyViolations(pointer, example);
    expect(planned.map((v) => `${v.field} (breaks ${v.breaks})`)).toEqual([
      'note (breaks required)',
      'note (breaks maxLength 5)',
      'lines[0].sku (breaks required)',
      'lines[0].quantity (breaks maximum 99)',
      'lines[0].quantity (breaks minimum 1)',
      'customer.address.postcode (breaks maxLength 8)',
    ]);
    // Three levels down (customer.address.geo.lat) is past the depth: nothing there.
    // Each body breaks exactly the one rule its title names, where it names it.
    for (const v of planned) {
      const body = updateAt(example, v.path!, () => (v.missing ? undefined : v.value));
      const violations = f.bodyViolations(pointer, body);
      expect(violations, fieldLabel(v.path!)).toHaveLength(1);
    }
  });

  it('updateAt copies along the path only, through arrays too, and leaves the original as it was', () => {
    const changed = updateAt(example, ['lines', 0, 'quantity'], () => 100) as typeof example;
    expect(changed.lines[0]).toEqual({ sku: 'a', quantity: 100 });
    expect(Array.isArray(changed.lines)).toBe(true);
    expect(changed.customer).toBe(example.customer);
    expect(example.lines[0]?.quantity).toBe(2);
    expect(updateAt(example, ['lines', 0, 'sku'], () => undefined)).toMatchObject({ lines: [{ quantity: 2 }] });
  });
});

type Mode = 'conformant' | 'shallow';

/** Validates the order as the spec says, or (shallow) checks the top-level fields and their types, and nothing inside them. */
function ordersServer(mode: Mode) {
  const problem = (order: Record<string, unknown>): string | undefined => {
    if (typeof order.note !== 'string' || order.note.length > 5) return 'note';
    const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (order.customer !== undefined && !isObject(order.customer)) return 'customer';
    if (order.lines !== undefined && !(Array.isArray(order.lines) && order.lines.every(isObject))) return 'lines';
    if (mode === 'shallow') return undefined;
    const customer = (order.customer ?? {}) as { address?: { postcode?: unknown } };
    if (customer.address !== undefined && !isObject(customer.address)) return 'address';
    const postcode = customer.address?.postcode;
    if (postcode !== undefined && (typeof postcode !== 'string' || postcode.length > 8)) return 'postcode';
    for (const line of (order.lines ?? []) as Array<Record<string, unknown>>) {
      if (typeof line.sku !== 'string') return 'sku';
      const q = line.quantity;
      if (q !== undefined && !(Number.isInteger(q) && (q as number) >= 1 && (q as number) <= 99)) return 'quantity';
    }
    return undefined;
  };
  return http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (req.url !== '/orders') return res.writeHead(404).end();
      if (req.method !== 'POST') return res.writeHead(405, { allow: 'POST' }).end();
      let order: unknown;
      try {
        order = JSON.parse(raw);
      } catch {
        return res.writeHead(400).end();
      }
      if (!order || typeof order !== 'object' || Array.isArray(order) || problem(order as Record<string, unknown>))
        return res.writeHead(400).end();
      res.writeHead(201).end();
    });
  });
}

function runAgainst(mode: Mode): Promise<ConformanceResult> {
  return runSpecAgainst(ordersSpec, ordersServer(mode), { allowDestructive: true });
}

const fired = (r: ConformanceResult) => r.findings.map((f) => `${f.check}: ${f.caseTitle}`).sort();

describe('negative-data-rejection on nested boundary cases, through the engine', () => {
  it('a deployment validating the whole order: nothing fires', async () => {
    expect(fired(await runAgainst('conformant'))).toEqual([]);
  });

  it('a deployment checking only the top-level fields and their types: exactly the nested cases fire', async () => {
    expect(fired(await runAgainst('shallow'))).toEqual([
      "negative-data-rejection: body field 'customer.address.postcode' = 'AB1AB1AB1' (breaks maxLength 8)",
      "negative-data-rejection: body field 'lines[0].quantity' = '0' (breaks minimum 1)",
      "negative-data-rejection: body field 'lines[0].quantity' = '100' (breaks maximum 99)",
      "negative-data-rejection: body field 'lines[0].sku' missing (breaks required)",
    ]);
  });
});
