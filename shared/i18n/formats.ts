/** Dates, numbers and lists in the active language, through `Intl` (never hand-formatted). */
export interface Formats {
  language: string;
  /** A short date and time: `30/11/2026 22:41` in French, `11/30/26, 10:41 PM` in English. */
  dateTime(value: Date | string): string;
  number(value: number): string;
  /** `a, b and c` / `a, b et c`. */
  list(items: readonly string[]): string;
}

const asDate = (value: Date | string) => (typeof value === 'string' ? new Date(value) : value);

export function createFormats(language: string): Formats {
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });
  const number = new Intl.NumberFormat(language);
  const list = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
  const safe = (format: Intl.DateTimeFormat) => (value: Date | string) => {
    const d = asDate(value);
    return Number.isNaN(d.getTime()) ? '' : format.format(d);
  };
  return {
    language,
    dateTime: safe(dateTime),
    number: (value) => number.format(value),
    list: (items) => list.format(items),
  };
}
