import { verifyLinkToken } from '../../domain/link-token';
import { dossierQuery } from '../../domain/messages';
import { referencePattern, workflowIdFor } from '../../domain/reference';
import { ComplaintProcedure, ComplaintReceivedAt, ComplaintStatus } from '../../domain/search-attributes';
import { postJson } from '../support/api';
import { devStack } from '../support/stack';
import { testLinkSecret } from '../support/worker';

const complaint = {
  procedure: 'gooiconsult',
  complainant: {
    name: 'Anna de Vries',
    email: 'anna@example.nl',
    address: { street: 'Kerkstraat 5', postalCode: '1211 AA', city: 'Hilversum' },
  },
  description: 'Het advies kwam drie weken te laat.',
};

describe('intake on a real Temporal dev server: HTTP in, e-mail out', () => {
  const stack = devStack();

  it('starts complaintWorkflow and e-mails the receipt with the reference and a working dossier link', async () => {
    const response = await postJson(`${stack.api.url}/api/complaints`, complaint);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { reference: string; dossierUrl: string };
    expect(body.reference).toMatch(referencePattern);
    expect(body.dossierUrl).toMatch(new RegExp(`^http://klachtflow.test/dossier/${body.reference}\\?token=`));

    // The receipt, not the staff's notice that goes out beside it.
    const receipt = await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${body.reference}]`);
    expect(receipt.to).toMatchObject({ value: [{ address: 'anna@example.nl' }] });
    expect(receipt.text).toContain('Beste Anna de Vries');
    expect(receipt.text).toContain(`Uw kenmerk is ${body.reference}`);
    const link = /http:\/\/klachtflow\.test\/dossier\/\S+\?token=(\S+)/.exec(receipt.text ?? '');
    expect(verifyLinkToken(testLinkSecret, link![1]!, new Date())).toMatchObject({ reference: body.reference, scopes: ['view', 'answer', 'withdraw'], generation: 0 });

    const handle = stack.env.client.workflow.getHandle(workflowIdFor(body.reference));
    const description = await handle.describe();
    expect(description.taskQueue).toBe('complaints');
    expect(description.type).toBe('complaintWorkflow');
    expect(description.typedSearchAttributes.get(ComplaintProcedure)).toBe('gooiconsult');
    expect(description.typedSearchAttributes.get(ComplaintStatus)).toBe('received');
    expect(description.typedSearchAttributes.get(ComplaintReceivedAt)).toBeInstanceOf(Date);
    // Search attributes and the id are not encrypted: nothing personal may be in them. The summary
    // is (every payload is), and holds nothing personal either: the procedure and the reference.
    expect(await description.staticSummary()).toBe(`gooiconsult · ${body.reference}`);
    const visible = JSON.stringify([description.typedSearchAttributes.getAll(), description.workflowId, await description.staticSummary()]);
    expect(visible).toContain('gooiconsult');
    for (const personal of ['Anna', 'anna@example.nl', 'Kerkstraat', 'advies']) expect(visible).not.toContain(personal);
    // The register's memo holds the name, encrypted: read through the codec it is there, raw it is ciphertext.
    expect(description.memo).toMatchObject({ filed: { complainant: { name: 'Anna de Vries' } } });
    const raw = await stack.env.client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: workflowIdFor(body.reference) } });
    const memo = Object.values(raw.workflowExecutionInfo?.memo?.fields ?? {});
    expect(memo.length).toBeGreaterThan(0);
    for (const payload of memo) expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const dossier = await handle.query(dossierQuery);
    expect(dossier.correspondence).toEqual([
      expect.objectContaining({ to: 'complainant', step: 'receipt', status: 'sent', messageId: receipt.messageId }),
      expect.objectContaining({ to: 'staff', step: 'new-complaint' }),
    ]);
  });

  describe('bad input gets a problem+json that names the field, and starts nothing', () => {
    async function expectProblem(response: Response, status: number, pattern: RegExp): Promise<void> {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { status: number; detail: string };
      expect(problem.status).toBe(status);
      expect(problem.detail).toMatch(pattern);
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/);
    }

    it('names a missing description and a malformed e-mail address', async () => {
      const response = await postJson(`${stack.api.url}/api/complaints`, {
        procedure: 'gooiconsult',
        complainant: { name: 'A', email: 'geen-adres' },
      });
      await expectProblem(response, 400, /complainant\.email: .*description: /);
    });

    it('names an unknown field', async () => {
      await expectProblem(await postJson(`${stack.api.url}/api/complaints`, { ...complaint, priority: 'high' }), 400, /unknown field.*"priority"/);
    });

    it('names an unknown procedure and lists the known ones', async () => {
      await expectProblem(await postJson(`${stack.api.url}/api/complaints`, { ...complaint, procedure: 'onbekend' }), 400, /^procedure: unknown procedure "onbekend"; known: babbage, gooiconsult, klassewerk, studijob, thuiswerkdesk$/);
    });

    it('refuses malformed JSON with 400', async () => {
      await expectProblem(await postJson(`${stack.api.url}/api/complaints`, '{"procedure": '), 400, /not valid JSON/);
    });

    it('refuses a body over 64 KiB with 413', async () => {
      await expectProblem(await postJson(`${stack.api.url}/api/complaints`, { ...complaint, description: 'x'.repeat(70 * 1024) }), 413, /larger than 64 KiB/);
    });

    it('answers an unknown route with 404 problem+json', async () => {
      await expectProblem(await fetch(`${stack.api.url}/api/nothing-here`), 404, /no route for GET \/api\/nothing-here/);
    });
  });

  it('started exactly the one valid complaint', async () => {
    const count = async () => (await stack.env.client.workflow.count('WorkflowType = "complaintWorkflow"')).count;
    await new Promise((r) => setTimeout(r, 500));
    expect(await count()).toBe(1);
  });

  it('is ready when Temporal answers', async () => {
    const ready = await fetch(`${stack.api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${stack.api.url}/healthz`)).status).toBe(200);
  });
});
