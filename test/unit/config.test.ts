import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, oidcSettings, publicBaseUrl } from '../../config/env';
import { codecKeys, linkSecret, rotateCodecKey } from '../../config/secrets';

describe('configuration', () => {
  it('runs on the embedded defaults of SPEC §7', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      KLACHTFLOW_DATA_DIR: './data',
      KLACHTFLOW_TEMPORAL_PORT: 7233,
      KLACHTFLOW_TEMPORAL_UI_PORT: 8233,
      KLACHTFLOW_PROCEDURES_DIR: './procedures',
      TEMPORAL_NAMESPACE: 'default',
    });
    expect(config.SMTP_URL).toBeUndefined();
    expect(publicBaseUrl(config)).toBe('http://localhost:3000');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SMTP_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('names each bad variable and its rule', () => {
    expect(() => loadConfig({ PORT: 'drieduizend', LINK_SECRET: 'kort', SMTP_URL: 'geen url' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'drieduizend', LINK_SECRET: 'kort' })).toThrow(
      /PORT: .*; LINK_SECRET: LINK_SECRET must be at least 32 characters/,
    );
  });

  it('strips a trailing slash from PUBLIC_BASE_URL', () => {
    expect(publicBaseUrl(loadConfig({ PUBLIC_BASE_URL: 'https://klachten.example.nl/' }))).toBe('https://klachten.example.nl');
  });
});

describe('the codec key ring in the data directory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'klachtflow-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = () => loadConfig({ KLACHTFLOW_DATA_DIR: dir });

  it('makes a key on first start, keeps it, and the file is the owner’s alone', () => {
    const [key] = codecKeys(config());
    expect(codecKeys(config())).toEqual([key]);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('adds a key to a data directory from before the codec, keeping its link secret', () => {
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ linkSecret: 'l'.repeat(43), devStaffToken: 'd'.repeat(32) }));
    expect(codecKeys(config())).toHaveLength(1);
    expect(linkSecret(config())).toBe('l'.repeat(43));
  });

  it('rotates by adding a key that encrypts, keeping the old ones', () => {
    const [old] = codecKeys(config());
    const { key, stored } = rotateCodecKey(config());
    expect(stored).toBe(join(dir, 'secrets.json'));
    expect(codecKeys(config())).toEqual([old, key]);
    expect((JSON.parse(readFileSync(stored!, 'utf8')) as { codecKeys: unknown[] }).codecKeys).toHaveLength(2);
  });

  it('leaves a configured ring alone and hands the new entry to the operator', () => {
    const configured = loadConfig({ KLACHTFLOW_DATA_DIR: dir, KLACHTFLOW_CODEC_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` });
    expect(rotateCodecKey(configured).stored).toBeUndefined();
    expect(codecKeys(configured).map((k) => k.id)).toEqual(['k1']);
  });
});

describe('OpenID Connect settings', () => {
  const oidc = { OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0', OIDC_CLIENT_ID: 'client', OIDC_CLIENT_SECRET: 'secret', OIDC_ROLE_GROUPS: '{"handler":["g-1"],"manager":["g-2"]}' };
  it('are all four or none, with the groups of each role as JSON', () => {
    expect(oidcSettings(loadConfig({}))).toBeUndefined();
    expect(oidcSettings(loadConfig(oidc))).toMatchObject({ issuer: oidc.OIDC_ISSUER, roleGroups: { handler: ['g-1'], manager: ['g-2'] }, groupsClaim: 'groups', emailClaim: 'email' });
    expect(() => oidcSettings(loadConfig({ ...oidc, OIDC_CLIENT_SECRET: '' }))).toThrow('OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLE_GROUPS go together');
    expect(() => oidcSettings(loadConfig({ ...oidc, OIDC_ROLE_GROUPS: 'handler=g-1' }))).toThrow('OIDC_ROLE_GROUPS: not JSON');
    expect(() => oidcSettings(loadConfig({ ...oidc, OIDC_ROLE_GROUPS: '{"boss":["g"]}' }))).toThrow(ConfigError);
    expect(() => oidcSettings(loadConfig({ ...oidc, OIDC_ROLE_GROUPS: '{"handler":[]}' }))).toThrow(/OIDC_ROLE_GROUPS: handler/);
  });
});
