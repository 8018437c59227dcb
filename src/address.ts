// A postal address as both directories (and SCIM's `addresses[]`) hold it.
import { z } from 'zod';

export const addressSchema = z
  .object({
    type: z.enum(['work', 'home', 'other']).default('work'),
    streetAddress: z.string().max(200).optional(),
    locality: z.string().max(100).optional(),
    region: z.string().max(100).optional(),
    postalCode: z.string().max(20).optional(),
    country: z.string().max(60).optional(),
  })
  .strict();

export type Address = z.output<typeof addressSchema>;
