import type { ComplaintInput } from '../../domain/complaint';

/** A complete complaint as the API would hand it to the workflow; override what a test is about. */
export function complaintInput(overrides: Partial<ComplaintInput> = {}): ComplaintInput {
  return {
    reference: 'KL-2026-TEST01',
    procedure: 'gooiconsult',
    language: 'nl',
    receivedAt: '2026-04-24T08:15:00.000Z',
    channel: 'web',
    complainant: { name: 'Jan Jansen', email: 'jan@example.nl', address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Hilversum' } },
    description: 'De factuur klopt niet.',
    ...overrides,
  };
}
