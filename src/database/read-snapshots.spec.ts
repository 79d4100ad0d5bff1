import { jest } from '@jest/globals';
import type { Database } from './database.service';
import { ReadSnapshots, SNAPSHOT_MAX_AGE_MS, SNAPSHOTS_MAX } from './read-snapshots';

/** A database whose version() the test sets. */
function fakeDb() {
  const state = { version: 'v1' as string | null };
  const db = { version: async () => state.version } as unknown as Database;
  return { db, state };
}

describe('ReadSnapshots', () => {
  const t0 = new Date('2026-11-30T10:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  function setup() {
    const { db, state } = fakeDb();
    const snapshots = new ReadSnapshots(db);
    let n = 0;
    const compute = jest.fn(async () => ({ n: ++n }));
    return { snapshots, state, compute };
  }

  it('computes once while the version is the same and the snapshot younger than the bound', async () => {
    const { snapshots, compute } = setup();
    const a = await snapshots.read('k', t0, compute);
    const b = await snapshots.read('k', later(SNAPSHOT_MAX_AGE_MS - 1), compute);
    expect(b).toBe(a);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('computes again when anything was written (the version changed)', async () => {
    const { snapshots, state, compute } = setup();
    await snapshots.read('k', t0, compute);
    state.version = 'v2';
    expect(await snapshots.read('k', t0, compute)).toEqual({ n: 2 });
    expect(await snapshots.read('k', t0, compute)).toEqual({ n: 2 });
  });

  it('computes again once the snapshot is as old as the bound, or the clock went back', async () => {
    const { snapshots, compute } = setup();
    await snapshots.read('k', t0, compute);
    expect(await snapshots.read('k', later(SNAPSHOT_MAX_AGE_MS), compute)).toEqual({ n: 2 });
    expect(await snapshots.read('k', t0, compute)).toEqual({ n: 3 }); // before the one kept
  });

  it('keeps nothing inside a transaction (no version): every read computes', async () => {
    const { snapshots, state, compute } = setup();
    state.version = null;
    await snapshots.read('k', t0, compute);
    await snapshots.read('k', t0, compute);
    expect(compute).toHaveBeenCalledTimes(2);
    expect(snapshots.size).toBe(0);
  });

  it('keys apart: one key never answers for another', async () => {
    const { snapshots, compute } = setup();
    expect(await snapshots.read('a', t0, compute)).toEqual({ n: 1 });
    expect(await snapshots.read('b', t0, compute)).toEqual({ n: 2 });
    expect(await snapshots.read('a', t0, compute)).toEqual({ n: 1 });
  });

  it('shares one computation between requests that ask at once', async () => {
    const { snapshots, compute } = setup();
    const [a, b, c] = await Promise.all([snapshots.read('k', t0, compute), snapshots.read('k', t0, compute), snapshots.read('k', t0, compute)]);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('does not keep a failed computation: the next read tries again', async () => {
    const { snapshots } = setup();
    const failing = jest.fn(async () => {
      throw new Error('database gone');
    });
    await expect(snapshots.read('k', t0, failing)).rejects.toThrow('database gone');
    expect(snapshots.size).toBe(0);
    await expect(snapshots.read('k', t0, async () => 'back')).resolves.toBe('back');
  });

  it('lets go of snapshots too old to be used again, the least recently used first', async () => {
    const { snapshots, compute } = setup();
    await snapshots.read('old', t0, compute);
    await snapshots.read('recent', later(SNAPSHOT_MAX_AGE_MS / 2), compute);
    await snapshots.read('now', later(SNAPSHOT_MAX_AGE_MS), compute);
    expect(snapshots.size).toBe(2); // 'old' went; 'recent' may still be used
  });

  it('keeps at most SNAPSHOTS_MAX, dropping the least recently used', async () => {
    const { snapshots, compute } = setup();
    for (let i = 0; i < SNAPSHOTS_MAX; i++) await snapshots.read(`k${i}`, t0, compute);
    await snapshots.read('k0', t0, compute); // used again: now the most recent
    await snapshots.read('new', t0, compute);
    expect(snapshots.size).toBe(SNAPSHOTS_MAX);
    const calls = compute.mock.calls.length;
    await snapshots.read('k0', t0, compute);
    expect(compute).toHaveBeenCalledTimes(calls); // kept
    await snapshots.read('k1', t0, compute);
    expect(compute).toHaveBeenCalledTimes(calls + 1); // the least recently used went
  });
});
