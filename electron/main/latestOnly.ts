/**
 * For a question asked again at every change (the pending count after each delta): answers can
 * arrive out of order, and only the answer to the latest question may be used. Otherwise an answer
 * from before the last change, arriving last, would stay on screen until the next change.
 */
export function latestOnly<T>(ask: () => Promise<T>, use: (answer: T) => void): () => Promise<void> {
  let asked = 0;
  return async () => {
    const mine = ++asked;
    const answer = await ask();
    if (mine === asked) use(answer);
  };
}
