import { commandLabel } from '../../../shared/commands.js';
import { serverConsequence } from '../format.js';
import { useSessions } from '../store/StoreContext.js';

/** Every file the server will refuse or drop, with what it will do, and the way to deal with it. */
export function ProblemsView() {
  const problems = useSessions((s) => s.problems);
  const run = useSessions((s) => s.run);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
  if (problems.length === 0) {
    return (
      <section className="empty" aria-label="Problems">
        <h2>Problems</h2>
        <p>No problems: the server will load every session.</p>
      </section>
    );
  }
  return (
    <section className="problems-view" aria-label="Problems">
      <h2>Problems ({problems.length})</h2>
      <table>
        <thead>
          <tr>
            <th scope="col" className="col-file">
              File
            </th>
            <th scope="col">Problem</th>
            <th scope="col">What the server does</th>
            <th scope="col" className="col-actions">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => {
            const isFile = !p.path.endsWith('/');
            return (
              <tr key={`${p.path}:${p.code}:${p.message}`}>
                <td className="mono">{p.path}</td>
                <td>
                  <strong>
                    {p.code}
                    {p.mobi ? ` (mobi ${p.mobi})` : ''}
                  </strong>
                  <br />
                  {p.message}
                </td>
                <td>{serverConsequence(p.code)}</td>
                <td className="actions">
                  {isFile && (
                    <>
                      <button type="button" onClick={() => void run('reveal', { ref: p.path })}>
                        {commandLabel('reveal', platform)}
                      </button>
                      <button type="button" onClick={() => void run('move-to-trash', { refs: [p.path] })}>
                        {commandLabel('move-to-trash', platform)}
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
