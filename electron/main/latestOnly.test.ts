import { describe, expect, it } from 'vitest';
import { latestOnly } from './latestOnly.js';

describe('latestOnly', () => {
  it('uses only the answer to the latest question, whatever order the answers arrive in', async () => {
    const answers: ((count: number) => void)[] = [];
    const shown: number[] = [];
    const show = latestOnly(
      () => new Promise<number>((resolve) => answers.push(resolve)),
      (count) => shown.push(count),
    );
    const first = show(); // asked before the second device arrived
    const second = show();
    answers[1]?.(2);
    await second;
    answers[0]?.(1); // the older answer arrives last
    await first;
    expect(shown).toEqual([2]);
    const third = show();
    answers[2]?.(0);
    await third;
    expect(shown).toEqual([2, 0]);
  });
});
