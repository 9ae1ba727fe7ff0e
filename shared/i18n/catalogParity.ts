/**
 * What a catalog must agree on with the English one: the same keys, and in each message the same
 * arguments (a French text that forgets `{count}` would show no number). Used by the catalog test;
 * kept apart so the test can also prove it reports a catalog it should refuse.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Catalog } from './catalogs.js';

/** The parts of FormatJS's message AST this check reads (its `TYPE` enum: 0 literal, 7 `#`). */
interface Element {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}
const LITERAL = 0;
const POUND = 7;

/** `a.b.c` → message, for every message of a catalog. */
export function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The names of a message's arguments, sorted; throws when the message is not valid ICU. */
export function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (element.type === LITERAL || element.type === POUND) continue;
      if (typeof element.value === 'string') names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      walk(element.children ?? []);
    }
  };
  // The same parser i18next-icu formats with at run time.
  walk(new IntlMessageFormat(message, 'en').getAst() as Element[]);
  return [...names].sort();
}

/** Every disagreement between each language and the reference, as readable lines (none: parity). */
export function catalogProblems(
  catalogs: Record<string, Record<string, Catalog>>,
  reference: string,
): string[] {
  const problems: string[] = [];
  const base = catalogs[reference] ?? {};
  for (const [language, namespaces] of Object.entries(catalogs)) {
    const names = new Set([...Object.keys(base), ...Object.keys(namespaces)]);
    for (const namespace of names) {
      const expected = flatten(base[namespace] ?? {});
      const actual = flatten(namespaces[namespace] ?? {});
      for (const key of expected.keys()) {
        if (!actual.has(key)) problems.push(`${language}/${namespace}.json lacks "${key}"`);
      }
      for (const [key, message] of actual) {
        const where = `${language}/${namespace}.json "${key}"`;
        if (!expected.has(key)) {
          problems.push(`${where} is not in ${reference}/${namespace}.json`);
          continue;
        }
        let args: string[];
        try {
          args = argumentsOf(message);
        } catch (error) {
          problems.push(`${where} is not valid ICU: ${(error as Error).message}`);
          continue;
        }
        const want = argumentsOf(expected.get(key) ?? '');
        if (args.join() !== want.join()) {
          problems.push(`${where} has arguments {${args.join(', ')}}, ${reference} has {${want.join(', ')}}`);
        }
      }
    }
  }
  return problems;
}
