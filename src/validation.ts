// Turns zod failures into the harness's INPUT_INVALID error, naming each field.
import type { z } from 'zod';
import { HarnessError } from './errors.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = Object.fromEntries(result.error.issues.map((i) => [i.path.join('.') || '(body)', i.message]));
  const list = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  throw new HarnessError('INPUT_INVALID', `invalid ${what}: ${list}`, { fields });
}
