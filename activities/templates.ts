import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import type { Language } from '../domain/vocabulary';

export interface RenderedEmail {
  subject: string;
  text: string;
  /** The same words as HTML: paragraphs, lines and links of the text, in one plain layout. */
  html: string;
}

/** A line of text as parts, its web addresses as links. */
const linkPattern = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;
function partsOf(line: string): { text: string; href: string | null }[] {
  const parts: { text: string; href: string | null }[] = [];
  let last = 0;
  for (const match of line.matchAll(linkPattern)) {
    if (match.index > last) parts.push({ text: line.slice(last, match.index), href: null });
    parts.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < line.length || parts.length === 0) parts.push({ text: line.slice(last), href: null });
  return parts;
}

/** The text's paragraphs (blank lines between them), each a list of lines of parts. */
const paragraphsOf = (text: string) =>
  text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').map(partsOf));

export interface EmailTemplates {
  /** A template in a language; the organisation's signature, where it has one, closes the text. */
  render(name: string, language: Language, values: Record<string, unknown>, signature?: string): Promise<RenderedEmail>;
}

export const defaultTemplatesDir = join(__dirname, '..', 'templates');

/** Plain-text e-mail templates (a `Subject:` line, a blank line, then the body), sent as text and as HTML made of it. */
export function createEmailTemplates(dir = defaultTemplatesDir): EmailTemplates {
  const liquid = new Liquid({ root: join(dir, 'email'), extname: '.liquid', strictVariables: true, cache: true });
  return {
    async render(name, language, values, signature) {
      const output = (await liquid.renderFile(`${name}.${language}.liquid`, values)) as string;
      const match = /^Subject: (.+)\r?\n\r?\n([\s\S]*)$/.exec(output);
      if (!match) throw new Error(`template ${name}.${language} must start with "Subject: …" and a blank line`);
      const subject = match[1]!.trim();
      const text = [match[2]!.trimEnd(), signature?.trim()].filter(Boolean).join('\n\n') + '\n';
      // One template, two forms: the HTML says what the text says.
      const html = (await liquid.renderFile('layout-html', { language, subject, paragraphs: paragraphsOf(text) })) as string;
      return { subject, text, html };
    },
  };
}
