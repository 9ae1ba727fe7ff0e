import { useTranslation } from 'react-i18next';
import { commandLabel } from '../../../shared/commands.js';
import { useLanguage } from '../i18n/LanguageProvider.js';
import { problemExplanation, problemTitle, serverConsequence } from '../problemTexts.js';
import { useSessions } from '../store/StoreContext.js';

/** Every file the server will refuse or drop, with what it will do, and the way to deal with it. */
export function ProblemsView() {
  const problems = useSessions((s) => s.problems);
  const run = useSessions((s) => s.run);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (problems.length === 0) {
    return (
      <section className="empty" aria-label={t('problems:view.label')}>
        <h2>{t('problems:view.title')}</h2>
        <p>{t('problems:view.none')}</p>
      </section>
    );
  }
  return (
    <section className="problems-view" aria-label={t('problems:view.label')}>
      <h2>{t('problems:view.titleWithCount', { count: problems.length })}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col" className="col-file">
              {t('problems:view.file')}
            </th>
            <th scope="col">{t('problems:view.problem')}</th>
            <th scope="col">{t('problems:view.consequence')}</th>
            <th scope="col" className="col-actions">
              {t('problems:view.actions')}
            </th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => {
            const isFile = !p.path.endsWith('/');
            const explanation = problemExplanation(p, language, t);
            return (
              <tr key={`${p.path}:${p.code}:${p.message}`}>
                <td className="mono">{p.path}</td>
                <td>
                  <strong>{problemTitle(p, t)}</strong>
                  <br />
                  {/* In another language than the engine's, its precise English sentence is a tooltip away. */}
                  <span
                    title={
                      explanation === p.message
                        ? undefined
                        : t('problems:engineWording', { message: p.message })
                    }
                  >
                    {explanation}
                  </span>
                </td>
                <td>{serverConsequence(p.code, t)}</td>
                <td className="actions">
                  {isFile && (
                    <>
                      <button type="button" onClick={() => void run('reveal', { ref: p.path })}>
                        {commandLabel('reveal', platform, t)}
                      </button>
                      <button type="button" onClick={() => void run('move-to-trash', { refs: [p.path] })}>
                        {commandLabel('move-to-trash', platform, t)}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
