/**
 * Words about the problems a file can have (the Problems view and the details panel), in the
 * window's language. The engine names each problem by its `code` and words it in English; the
 * window translates by code, never by reading the English.
 */
import { REFERENCE_LANGUAGE } from '../../shared/i18n/catalogs.js';
import { createTranslator, type Translate } from '../../shared/i18n/translator.js';
import { MOBI_CODE, type Problem, type ProblemCode } from '../../shared/session.js';

/** Every problem code the engine can report: the catalogs must word each one (problemTexts.test.ts). */
export const PROBLEM_CODES = Object.keys(MOBI_CODE) as ProblemCode[];

const isKnown = (code: string): code is ProblemCode => Object.hasOwn(MOBI_CODE, code);

let english: Translate | null = null;
/** English, for a caller that has no `t` of its own yet. */
const englishT: Translate = (key, values) => {
  english ??= createTranslator(REFERENCE_LANGUAGE);
  return english(key, values);
};

/** What the 4D Server will do with a file that has this problem ('' for a code it does not know). */
export function serverConsequence(code: string, t: Translate = englishT): string {
  return isKnown(code) ? t(`problems:consequence.${code}`) : '';
}

/** The problem's name, with the server's own number when it has one: `location (mobi 1)`. */
export function problemTitle(
  problem: { code: string; mobi: Problem['mobi'] },
  t: Translate = englishT,
): string {
  const title = isKnown(problem.code) ? t(`problems:title.${problem.code}`) : problem.code;
  return problem.mobi ? t('problems:heading', { title, mobi: problem.mobi }) : title;
}

/**
 * What is wrong with the file. The engine's sentence is the precise one (it names the folder, the
 * field, the size) and it is English: in English it is shown as it is; in another language the
 * problem's code gives the translated text, and the engine's sentence only stands in for a code the
 * catalogs do not know.
 */
export function problemExplanation(
  problem: { code: string; message: string },
  language: string,
  t: Translate = englishT,
): string {
  if (language === REFERENCE_LANGUAGE || !isKnown(problem.code)) return problem.message;
  return t(`problems:explanation.${problem.code}`);
}
