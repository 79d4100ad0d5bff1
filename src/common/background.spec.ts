import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { transactionContext } from '../database/transaction-serializer';
import { Background } from './background';

describe('Background', () => {
  it('runs a job after the caller has moved on, outside its transaction context', async () => {
    const bg = new Background();
    const seen: unknown[] = [];
    transactionContext.run('open transaction', () => bg.run('probe', () => Promise.resolve(void seen.push(transactionContext.getStore()))));
    expect(seen).toEqual([]);
    await bg.idle();
    expect(seen).toEqual([undefined]);
  });

  it('logs a failing job, thrown or rejected, and leaves no rejection unhandled', async () => {
    const bg = new Background();
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      bg.run('throws', () => {
        throw new Error('boom');
      });
      bg.run('rejects', () => Promise.reject(new Error('smtp down')));
      await bg.idle();
      await new Promise((resolve) => setImmediate(resolve));
      expect(logged).toHaveBeenCalledWith({ msg: 'background job failed', job: 'throws', error: 'boom' });
      expect(logged).toHaveBeenCalledWith({ msg: 'background job failed', job: 'rejects', error: 'smtp down' });
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
      logged.mockRestore();
    }
  });

  it('waits for running jobs when the app stops, but not forever', async () => {
    const bg = new Background();
    let done = false;
    bg.run('slow', () => new Promise((resolve) => setTimeout(() => resolve((done = true)), 50)));
    await bg.onModuleDestroy();
    expect(done).toBe(true);
    bg.drainMs = 20;
    bg.run('stuck', () => new Promise(() => undefined));
    const started = Date.now();
    await bg.onModuleDestroy();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
