// Calendar dates without a time or a zone ("2026-04-24"), and the arithmetic on them.
// Counting happens on the UTC calendar, where every day has 24 hours, so a daylight-saving
// switch can never shift a date; zones enter only in `localDateOf` (here, through Intl) and
// in domain/zoned-time.ts. No dependencies: guards that the workflow runs use this module.

export type LocalDate = string;

const msPerDay = 86_400_000;
const toUtc = (date: LocalDate): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtc(toUtc(date) + days * msPerDay);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toUtc(date)).getUTCDay();
}

/** The same day of the month `months` later; where that month is shorter, its last day. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(d, lastDay)));
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / msPerDay);
}

// Zone conversions go through Intl and dominate the cost of a batch, so their results are
// remembered. Offsets are whole quarter hours everywhere, so every instant in the same
// quarter hour has the same local date. The maps are emptied when they grow large.
const quarterHourMs = 900_000;
const memoLimit = 100_000;
const localDates = new Map<string, LocalDate>();

export function remember<T>(memo: Map<string, T>, key: string, make: () => T): T {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size >= memoLimit) memo.clear();
    value = make();
    memo.set(key, value);
  }
  return value;
}

/** The calendar date of an instant in a time zone. */
export function localDateOf(instant: Date, timezone: string): LocalDate {
  const slot = Math.floor(instant.getTime() / quarterHourMs);
  return remember(localDates, `${timezone}|${slot}`, () => {
    const parts = isoDateFormat(timezone).formatToParts(new Date(slot * quarterHourMs));
    const part = (type: string) => parts.find((p) => p.type === type)!.value;
    return `${part('year')}-${part('month')}-${part('day')}`;
  });
}


const isoDateFormats = new Map<string, Intl.DateTimeFormat>();
function isoDateFormat(timezone: string): Intl.DateTimeFormat {
  let format = isoDateFormats.get(timezone);
  if (!format) isoDateFormats.set(timezone, (format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** "Fri 24-04-2026": how the trace names a date. */
export function describeDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${weekdays[dayOfWeek(date)]} ${d}-${m}-${y}`;
}

export function isLocalDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && fromUtc(toUtc(value)) === value;
}

// Intl formatters are costly to make: one per language and style.
const wordFormats = new Map<string, Intl.DateTimeFormat>();
function wordFormat(language: 'nl' | 'en', options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = wordFormats.get(key);
  if (!format) wordFormats.set(key, (format = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', options)));
  return format;
}

/** A calendar date in words ("maandag 4 mei 2026"), as e-mails and pages write it; noon UTC, so no zone can shift it. */
export function dateInWords(language: 'nl' | 'en', date: LocalDate): string {
  return wordFormat(language, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date.slice(0, 10)}T12:00:00Z`));
}

/** An instant in words at a time zone's wall clock ("dinsdag 12 mei 2026 om 14:00"; `long` leaves out the weekday). */
export function instantInWords(language: 'nl' | 'en', instant: string, timezone: string, dateStyle: 'full' | 'long' = 'full'): string {
  return wordFormat(language, { dateStyle, timeStyle: 'short', timeZone: timezone }).format(new Date(instant));
}
