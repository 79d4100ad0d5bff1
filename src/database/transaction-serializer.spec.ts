import { DatabaseUnavailableError } from './database-errors';
import { Mutex } from './transaction-serializer';

describe('Mutex', () => {
  it('runs critical sections one after another, in arrival order', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const section = (name: string, ms: number) =>
      mutex.run(async () => {
        log.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}:end`);
      });
    await Promise.all([section('a', 20), section('b', 1), section('c', 5)]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('releases the lock when a section throws', async () => {
    const mutex = new Mutex();
    await expect(mutex.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run(() => Promise.resolve(42))).resolves.toBe(42);
  });

  it('gives up waiting after the bound with DatabaseUnavailableError, and the queue goes on without the one that left', async () => {
    const mutex = new Mutex();
    let finish!: () => void;
    const long = mutex.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const started = Date.now();
    await expect(mutex.run(() => Promise.resolve('never'), 50)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const patient = mutex.run(() => Promise.resolve('after'));
    finish();
    await long;
    await expect(patient).resolves.toBe('after');
    await expect(mutex.run(() => Promise.resolve('free'), 10)).resolves.toBe('free');
  });
});
