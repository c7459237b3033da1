// A real OpenID Connect provider for the tests (oidc-provider, its development login and consent
// pages), as a process of its own: OIDC_TEST_PORT and OIDC_TEST_REDIRECT in its environment. Its accounts
// stand for an organisation's directory: an e-mail address and the groups a person is in.
import Provider from 'oidc-provider';

const { OIDC_TEST_PORT: port, OIDC_TEST_REDIRECT: redirectUri } = process.env;
const accounts = {
  mira: { email: 'Mira@Staff.test', name: 'Mira Manager', groups: ['kf-managers', 'everyone'] },
  hanna: { email: 'hanna@staff.test', name: 'Hanna Handler', groups: ['kf-handlers', 'everyone'] },
  henk: { email: 'henk@staff.test', name: 'Henk Handler', groups: ['everyone'] },
  stranger: { email: 'stranger@elsewhere.test', name: 'Stranger', groups: ['kf-managers'] },
};
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ client_id: 'klachtflow', client_secret: 'klachtflow-test-client-secret', redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email'], profile: ['name', 'groups'] },
  // The claims in the ID token, as Microsoft Entra ID puts its groups claim there.
  conformIdTokenClaims: false,
  findAccount: (_ctx, id) => (accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined),
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['klachtflow-test-oidc-cookie-key'] },
});
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`oidc provider ready on ${port}\n`));
