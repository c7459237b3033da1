// How staff-facing text names a term or an appeal level, in Dutch and English: the seeds' words,
// once. E-mails to staff and refusals use these; the complainant's pages speak to them as "u".
import type { AppealLevel } from './procedure';
import { appealDecideTerm, appealFileTerm, type Language, type StaffRole } from './vocabulary';

const termLabels: Record<Language, Record<string, string>> = {
  nl: {
    acknowledge: 'de ontvangstbevestiging',
    firstContact: 'het eerste contact',
    resolve: 'het schriftelijk standpunt',
    maxLeadTime: 'de afhandeling van de klacht',
    satisfaction: 'het antwoord op de vraag of de klager tevreden is',
  },
  en: {
    acknowledge: 'the confirmation of receipt',
    firstContact: 'the first contact',
    resolve: 'the written position',
    maxLeadTime: 'the handling of the complaint',
    satisfaction: 'the answer whether the complainant is satisfied',
  },
};

/** "beroep bij Simone Haven, directeur …" / "appeal to …": an appeal level by its body, never a key. */
export function appealLabel(language: Language, level: number, route: readonly AppealLevel[]): string {
  const body = route.find((l) => l.level === level)?.body.name;
  if (language === 'nl') return body ? `beroep bij ${body}` : `beroep (niveau ${level})`;
  return body ? `appeal to ${body}` : `appeal (level ${level})`;
}

/** The appeal level a term belongs to (its window to file, or its decision term), if it is one. */
export function appealTermOf(term: string, route: readonly AppealLevel[]): { level: number; filing: boolean } | undefined {
  const level = route.find((l) => term === appealFileTerm(l.level) || term === appealDecideTerm(l.level));
  return level && { level: level.level, filing: term === appealFileTerm(level.level) };
}

/** A term in a sentence: "het schriftelijk standpunt", "de uitspraak over het beroep bij …". */
export function termLabel(language: Language, term: string, route: readonly AppealLevel[] = []): string {
  const appeal = appealTermOf(term, route);
  if (!appeal) return termLabels[language][term] ?? term;
  const label = appealLabel(language, appeal.level, route);
  if (language === 'nl') return appeal.filing ? `het instellen van ${label}` : `de uitspraak over het ${label}`;
  return appeal.filing ? `filing an ${label}` : `the decision on the ${label}`;
}

const roleWords: Record<Language, Record<StaffRole, string>> = {
  nl: { handler: 'behandelaar', manager: 'manager', director: 'directeur' },
  en: { handler: 'handler', manager: 'manager', director: 'director' },
};

/** "manager of directeur" / "manager or director". */
export function rolesInWords(language: Language, roles: readonly StaffRole[]): string {
  const words = roles.map((r) => roleWords[language][r]);
  const or = language === 'nl' ? ' of ' : ' or ';
  return words.length > 1 ? `${words.slice(0, -1).join(', ')}${or}${words.at(-1)}` : (words[0] ?? '');
}

/** The details a complainant completes (a complaint by e-mail came without them), as they read them. */
export const detailLabels: Record<Language, Record<string, string>> = {
  nl: { name: 'uw naam', phone: 'uw telefoonnummer', address: 'uw adres', whatHappened: 'wat er is gebeurd', expected: 'wat u had verwacht', occurredOn: 'wanneer het gebeurde' },
  en: { name: 'your name', phone: 'your phone number', address: 'your address', whatHappened: 'what happened', expected: 'what you had expected', occurredOn: 'when it happened' },
};

/** A file's size as people say it: "240 kB", "3,2 MB". */
export function fileSize(bytes: number, language: Language): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(1, Math.round(bytes / 1024)), 'kilobyte'];
  return new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}
