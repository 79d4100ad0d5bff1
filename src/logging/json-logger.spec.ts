import { JsonLogger, redact } from './json-logger';

describe('JsonLogger', () => {
  it('writes one JSON object per line with level and time', () => {
    const lines: string[] = [];
    new JsonLogger('info', (l) => lines.push(l)).log({ msg: 'hello', userId: 3 }, 'Ctx');
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', context: 'Ctx', msg: 'hello', userId: 3 });
    expect(new Date(entry.time).toString()).not.toBe('Invalid Date');
  });

  it('never writes passwords, tokens or session ids', () => {
    const lines: string[] = [];
    new JsonLogger('debug', (l) => lines.push(l)).log({ msg: 'x', password: 'hunter2hunter2', body: { token: 'abc', sessionId: 's1', cookie: 'c' } });
    expect(lines[0]).not.toMatch(/hunter2|abc|s1|"c"/);
    expect(lines[0]).toContain('[redacted]');
  });

  it('keeps the request id', () => {
    expect(redact({ reqId: 'r-1' })).toEqual({ reqId: 'r-1' });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('warn', (l) => lines.push(l));
    logger.log('info line');
    logger.debug('debug line');
    logger.warn('warn line');
    expect(lines).toHaveLength(1);
  });
});
