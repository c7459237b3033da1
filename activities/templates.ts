import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import type { Language } from '../domain/vocabulary';

export interface RenderedEmail {
  subject: string;
  text: string;
}

export interface EmailTemplates {
  render(name: string, language: Language, values: Record<string, unknown>): Promise<RenderedEmail>;
}

export const defaultTemplatesDir = join(__dirname, '..', 'templates');

/** Plain-text e-mail templates: a `Subject:` line, a blank line, then the body. */
export function createEmailTemplates(dir = defaultTemplatesDir): EmailTemplates {
  const liquid = new Liquid({ root: join(dir, 'email'), extname: '.liquid', strictVariables: true, cache: true });
  return {
    async render(name, language, values) {
      const output = (await liquid.renderFile(`${name}.${language}.liquid`, values)) as string;
      const match = /^Subject: (.+)\r?\n\r?\n([\s\S]*)$/.exec(output);
      if (!match) throw new Error(`template ${name}.${language} must start with "Subject: …" and a blank line`);
      return { subject: match[1]!.trim(), text: match[2]!.trimEnd() + '\n' };
    },
  };
}
