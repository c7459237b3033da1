import { ConfigError, loadConfig, publicBaseUrl } from '../../config/env';

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
