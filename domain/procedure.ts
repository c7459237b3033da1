import { z } from 'zod';
import { languages, procedureIdSchema } from './complaint';

/** A complaint procedure as an organisation publishes it (SPEC §2). */
export const procedureSchema = z.strictObject({
  id: procedureIdSchema,
  organisation: z.string().trim().min(1),
  language: z.enum(languages).default('nl'),
  timezone: z.string().default('Europe/Amsterdam'),
});
export type Procedure = z.infer<typeof procedureSchema>;
