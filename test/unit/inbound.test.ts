import { isAutomatic, referenceInSubject, referenceOfMessageId, routeInbound } from '../../domain/inbound';
import { procedures } from '../support/machine';

// Where an e-mail to one of the seeds' mailboxes belongs (issue 16): pure, as the SMTP listener and the IMAP poller ask it.
describe('routing an e-mail that came in', () => {
  const seeds = [...procedures.values()];
  const facts = (over: Partial<Parameters<typeof routeInbound>[0]> = {}) => ({ recipients: ['info@babbage.nl'], subject: 'Klacht', thread: [], automatic: false, ...over });

  it('reads the complaint from one of our Message-IDs, and a reference from a subject', () => {
    expect(referenceOfMessageId('<KL-2026-7QK2MD.receipt@klachtflow.local>')).toBe('KL-2026-7QK2MD');
    expect(referenceOfMessageId('<KL-2026-7QK2MD.delay-resolve-1@gooiconsult.nl>')).toBe('KL-2026-7QK2MD');
    expect(referenceOfMessageId('<CAF=abc@mail.gmail.com>')).toBeUndefined();
    expect(referenceInSubject('Re: Ons standpunt over uw klacht [KL-2026-7QK2MD]')).toBe('KL-2026-7QK2MD');
    expect(referenceInSubject('Klacht over KL-2026-ILOU00')).toBeUndefined();
  });

  it("files an answer by its thread before its subject, and a new message by the mailbox's rule", () => {
    expect(routeInbound(facts({ thread: ['<x@y>', '<KL-2026-7QK2MD.position@klachtflow.local>'], subject: 'Re: KL-2026-AAAAAA' }), seeds)).toEqual({ kind: 'reply', reference: 'KL-2026-7QK2MD', matchedBy: 'thread' });
    expect(routeInbound(facts({ subject: 'Vraag over KL-2026-AAAAAA' }), seeds)).toEqual({ kind: 'reply', reference: 'KL-2026-AAAAAA', matchedBy: 'subject' });
    expect(routeInbound(facts({ subject: 'Een KLACHT over de factuur' }), seeds)).toEqual({ kind: 'complaint', procedure: 'babbage' });
    expect(routeInbound(facts({ subject: 'Vraag' }), seeds)).toEqual({ kind: 'not-a-complaint', procedure: 'babbage', rule: 'the subject holds "klacht"' });
    // Gooiconsult takes every message at info@.
    expect(routeInbound(facts({ recipients: ['Info@GooiConsult.nl'], subject: 'Vraag' }), seeds)).toEqual({ kind: 'complaint', procedure: 'gooiconsult' });
    expect(routeInbound(facts({ recipients: ['iemand@elders.nl'] }), seeds)).toEqual({ kind: 'unknown-recipient' });
    // A machine's message outside any thread starts nothing.
    expect(routeInbound(facts({ automatic: true }), seeds)).toEqual({ kind: 'automatic' });
  });

  it('knows a machine by Auto-Submitted, the older headers, Precedence and an out-of-office subject', () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    expect(isAutomatic(headers({ 'auto-submitted': 'auto-replied' }), 'Re: uw klacht')).toBe(true);
    expect(isAutomatic(headers({ 'auto-submitted': 'no' }), 'Re: uw klacht')).toBe(false);
    expect(isAutomatic(headers({ 'x-autoreply': 'yes' }), 'x')).toBe(true);
    expect(isAutomatic(headers({ precedence: 'bulk' }), 'x')).toBe(true);
    expect(isAutomatic(headers({}), 'Automatisch antwoord: Ontvangstbevestiging')).toBe(true);
    expect(isAutomatic(headers({}), 'Out of Office: Ontvangstbevestiging')).toBe(true);
    expect(isAutomatic(headers({}), 'Re: Ontvangstbevestiging')).toBe(false);
  });
});
