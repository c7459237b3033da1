import { type ActionName, actionNames, audienceOf, type BodyOf, dossierLimitBytes, refusalFor } from '../../domain/actions';
import { limits } from '../../domain/actions/define';
import { type Actor, staffRoles } from '../../domain/vocabulary';
import { isRefusal, received, type Snapshot, take } from '../support/machine';

// The guards every action passes, from the one registry, for every actor: what the workflow's
// validator, the API and the pages all ask. Pure: the workflow's own state and effects, no server.
const mira: Actor = { kind: 'staff', id: 'mira', roles: ['manager', 'handler'] };
const henk: Actor = { kind: 'staff', id: 'henk', roles: ['manager', 'handler', 'director'] };
const complainant: Actor = { kind: 'complainant' };
// Monday 1 March 2027, 10:00 in Amsterdam.
const monday = '2027-03-01T09:00:00.000Z';

async function after(snapshot: Snapshot, ...steps: [ActionName, object, Actor?][]): Promise<Snapshot> {
  let current = snapshot;
  for (const [name, input, actor = audienceOf(name) === 'complainant' ? complainant : mira] of steps) {
    const result = await take(current, name, input as never, actor);
    if (isRefusal(result)) throw new Error(`${name} refused: ${result.code}`);
    current = result;
  }
  return current;
}
const refusal = <K extends ActionName>(snapshot: Snapshot, name: K, input: BodyOf<K>, actor: Actor) =>
  refusalFor(name, snapshot.carried.dossier, { actor, input }, snapshot.now);

describe('integrity: nobody acts on a complaint about themselves', () => {
  let klassewerk: Snapshot;
  beforeAll(async () => {
    const fresh = await received({ procedure: 'klassewerk', receivedAt: monday });
    klassewerk = await after(fresh, ['addInvolved', { name: 'Henk Handler', staffId: 'henk', role: 'trainer' }]);
  });

  it('a person involved cannot assign, send the position, decide or close, whatever their roles', async () => {
    const appealed = await after(klassewerk, ['sendPosition', { text: 'Standpunt' }], ['fileAppeal', { grounds: 'Oneens' }]);
    const tries: [ActionName, object, Snapshot][] = [
      ['assign', { handler: 'hanna' }, klassewerk],
      ['sendPosition', { text: 'Mijn standpunt over mezelf' }, klassewerk],
      ['decideAppeal', { level: 1, decision: 'rejected', text: 'Ongegrond' }, appealed],
      ['close', { outcome: 'no_response' }, appealed],
      ['recordSatisfaction', { satisfied: true, channel: 'email', receivedAt: klassewerk.carried.dossier.receivedAt }, klassewerk],
      ['addNote', { text: 'Mijn kant' }, klassewerk],
    ];
    for (const [name, input, snapshot] of tries) {
      expect({ name, refusal: refusal(snapshot, name, input as never, henk) }).toEqual({ name, refusal: { code: 'ActorInvolved', staffId: 'henk' } });
    }
  });

  it('a person involved cannot be assigned, and the handler cannot be added as involved', async () => {
    expect(refusal(klassewerk, 'assign', { handler: 'henk' }, mira)).toEqual({ code: 'AssigneeInvolved', staffId: 'henk' });
    const assigned = await after(klassewerk, ['assign', { handler: 'hanna' }]);
    expect(refusal(assigned, 'addInvolved', { name: 'Hanna Handler', staffId: 'hanna' }, mira)).toEqual({ code: 'HandlerInvolved', staffId: 'hanna' });
  });
});

describe('integrity: a withdrawal is the complainant\'s word', () => {
  let gooiconsult: Snapshot;
  beforeAll(async () => {
    gooiconsult = await received({ procedure: 'gooiconsult', receivedAt: monday });
  });

  it.each(staffRoles)('no %s can withdraw a complaint as the complainant, or close it as withdrawn', (role) => {
    const staff: Actor = { kind: 'staff', id: 'hanna', roles: [role] };
    expect(refusal(gooiconsult, 'withdraw', {}, staff)).toEqual({ code: 'NotYourAction', audience: 'complainant' });
    expect(refusal(gooiconsult, 'close', { outcome: 'withdrawn' as 'no_response' }, staff)).toMatchObject({ code: 'InvalidRequest' });
  });

  it.each(staffRoles)('a %s records a withdrawal only with the complainant\'s statement, when and how it came', (role) => {
    const staff: Actor = { kind: 'staff', id: 'hanna', roles: [role] };
    const receivedAt = new Date(gooiconsult.now).toISOString();
    expect(refusal(gooiconsult, 'recordWithdrawal', { channel: 'phone', receivedAt } as never, staff)).toMatchObject({ code: 'InvalidRequest', problems: [{ field: 'input.statement' }] });
    expect(refusal(gooiconsult, 'recordWithdrawal', { channel: 'phone', receivedAt, statement: ' ' }, staff)).toMatchObject({ code: 'InvalidRequest' });
    expect(refusal(gooiconsult, 'recordWithdrawal', { channel: 'phone', receivedAt: '2099-01-01T10:00:00+01:00', statement: 'Ik trek hem in' }, staff)).toMatchObject({ code: 'ReceivedInFuture' });
    expect(refusal(gooiconsult, 'recordWithdrawal', { channel: 'phone', receivedAt, statement: 'Ik trek hem in' }, staff)).toBeUndefined();
  });
});

describe('every action', () => {
  let gooiconsult: Snapshot;
  beforeAll(async () => {
    gooiconsult = await received({ procedure: 'gooiconsult', receivedAt: monday });
  });

  it.each(actionNames)('%s is for its audience only', (name) => {
    const other: Actor = audienceOf(name) === 'complainant' ? mira : complainant;
    expect(refusalFor(name, gooiconsult.carried.dossier, { actor: other, input: {} }, gooiconsult.now)).toMatchObject({ code: expect.stringMatching(/^(NotYourAction|InvalidRequest)$/) as unknown });
  });

  it('a closed complaint refuses every action, naming the local day it closed: a close at 00:42 in Amsterdam is that day', async () => {
    // Received Monday; withdrawn Tuesday at 00:42 Amsterdam time, still Monday in UTC.
    const late = { ...gooiconsult, now: Date.parse('2027-03-01T23:42:00.000Z') };
    const closed = await after(late, ['withdraw', { reason: 'Opgelost' }]);
    expect(closed.carried.dossier.closedAt).toBe('2027-03-01T23:42:00.000Z');
    for (const name of actionNames) {
      const actor = audienceOf(name) === 'complainant' ? complainant : mira;
      expect(refusalFor(name, closed.carried.dossier, { actor, input: { text: 'x' } }, closed.now)).toMatchObject({ code: expect.stringMatching(/^(ComplaintClosed|InvalidRequest)$/) as unknown });
    }
    expect(refusal(closed, 'addNote', { text: 'Nog iets' }, mira)).toEqual({ code: 'ComplaintClosed', closedOn: '2027-03-02' });
  });

  it('only managers and directors assign and decide', () => {
    const handler: Actor = { kind: 'staff', id: 'hanna', roles: ['handler'] };
    expect(refusal(gooiconsult, 'assign', { handler: 'hanna' }, handler)).toEqual({ code: 'RoleRequired', roles: ['manager', 'director'] });
    expect(refusal(gooiconsult, 'assign', { handler: 'hanna' }, { kind: 'staff', id: 'dirk', roles: ['director'] })).toBeUndefined();
  });

  it('texts have a size, and a complainant can post at most 20 pieces of information a day', async () => {
    expect(refusal(gooiconsult, 'addInformation', { text: 'x'.repeat(limits.text + 1) }, complainant)).toMatchObject({ code: 'InvalidRequest', problems: [{ field: 'input.text', rule: `at most ${limits.text} characters` }] });
    let busy = gooiconsult;
    for (let i = 0; i < 20; i++) busy = await after(busy, ['addInformation', { text: `stuk ${i}` }]);
    expect(refusal(busy, 'addInformation', { text: 'nog een' }, complainant)).toEqual({ code: 'RateLimited', limit: 20, until: '2027-03-02T09:00:00.000Z' });
    expect(refusal({ ...busy, now: busy.now + 24 * 3600 * 1000 + 1 }, 'addInformation', { text: 'de volgende dag' }, complainant)).toBeUndefined();
  });

  it('a dossier full of text takes no more', () => {
    const full = structuredClone(gooiconsult);
    full.carried.dossier.timeline.push({ at: full.carried.dossier.receivedAt, actor: 'complainant', event: 'information-added', detail: 'x'.repeat(dossierLimitBytes) });
    expect(refusal(full, 'addNote', { text: 'nog een notitie' }, mira)).toEqual({ code: 'DossierFull', limitBytes: dossierLimitBytes });
  });
});

describe('StudiJob: the cause record says how and when the measures are communicated inside', () => {
  it('is refused without both, names what is missing, and taken with them; another procedure needs neither', async () => {
    const studijob = await received({ procedure: 'studijob', receivedAt: monday });
    expect(refusal(studijob, 'recordCause', { cause: 'Planning liep achter', measures: 'Wekelijkse check' }, mira)).toEqual({ code: 'CauseCommunicationRequired', missing: ['communicatedHow', 'communicatedOn'] });
    expect(refusal(studijob, 'recordCause', { cause: 'Planning liep achter', measures: 'Wekelijkse check', communicatedHow: 'In het teamoverleg' }, mira)).toEqual({ code: 'CauseCommunicationRequired', missing: ['communicatedOn'] });
    const recorded = await after(studijob, ['recordCause', { cause: 'Planning liep achter', measures: 'Wekelijkse check', communicatedHow: 'In het teamoverleg en per mail aan de vestigingen', communicatedOn: '2027-03-08' }]);
    expect(recorded.carried.dossier.cause).toMatchObject({ communicatedHow: 'In het teamoverleg en per mail aan de vestigingen', communicatedOn: '2027-03-08' });
    const klassewerk = await received({ procedure: 'klassewerk', receivedAt: monday });
    expect(refusal(klassewerk, 'recordCause', { cause: 'Trainer ziek', measures: 'Invaller achter de hand' }, mira)).toBeUndefined();
  });
});
