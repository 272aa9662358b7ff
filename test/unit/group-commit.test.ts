import { describe, expect, it } from 'vitest';
import { groupCommit, oneByOne } from '../../worker/db/group-commit';

describe('groupCommit', () => {
  it('writes calls that arrive together in one group and answers each in order', async () => {
    const groups: number[][] = [];
    const write = groupCommit(async (items: number[]) => {
      groups.push(items);
      return items.map((n) => n * 10);
    }, { maxItems: 4 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => write(n)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(groups).toEqual([[1, 2, 3, 4], [5, 6]]);
  });

  it('when a group fails, retries each item alone: one bad item fails only itself', async () => {
    const calls: number[][] = [];
    const write = groupCommit(async (items: number[]) => {
      calls.push(items);
      if (items.includes(13)) throw new Error('constraint failed');
      return items.map((n) => -n);
    });
    const settled = await Promise.allSettled([12, 13, 14].map((n) => write(n)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: -12 },
      { status: 'rejected', reason: expect.objectContaining({ message: 'constraint failed' }) },
      { status: 'fulfilled', value: -14 },
    ]);
    expect(calls).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('a lone call is written on the next turn, and later calls start a new group', async () => {
    const groups: string[][] = [];
    const write = groupCommit(async (items: string[]) => {
      groups.push(items);
      return items;
    });
    expect(await write('a')).toBe('a');
    expect(await write('b')).toBe('b');
    expect(groups).toEqual([['a'], ['b']]);
  });
});

describe('oneByOne', () => {
  it('writes each call on its own', async () => {
    const groups: number[][] = [];
    const write = oneByOne(async (items: number[]) => {
      groups.push(items);
      return items;
    });
    await Promise.all([write(1), write(2)]);
    expect(groups).toEqual([[1], [2]]);
  });
});
