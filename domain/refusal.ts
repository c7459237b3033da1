import type { z } from 'zod';

/** Validators refuse with a sentence a person can act on: "close refused: outcome: …". */
export function refuse(action: string, reason: string): never {
  throw new Error(`${action} refused: ${reason}`);
}

export function parseOrRefuse<T>(action: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    refuse(action, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return result.data;
}
