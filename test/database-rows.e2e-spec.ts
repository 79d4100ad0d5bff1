import { Database } from '../src/database/database.service';
import { createTestApp, ON_POSTGRES, type TestApp } from './utils/create-test-app';
import { createUser } from './utils/factories';

describe(`Database.rows, the hand-written read (${ON_POSTGRES ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let db: Database;
  const ids: number[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(Database);
    for (const name of ['Rows Ada', 'Rows Bo', "Rows O'Hara"]) ids.push((await createUser(t.db, { name })).id);
  });
  afterAll(() => t.close());

  it('binds an id list as one parameter, whatever its length, and an empty list matches nothing', async () => {
    const names = async (list: number[]) => (await db.rows<{ name: string }>`SELECT name FROM users WHERE id IN ${list} ORDER BY name`).map((r) => r.name);
    expect(await names(ids)).toEqual(['Rows Ada', 'Rows Bo', "Rows O'Hara"]);
    expect(await names([ids[1]])).toEqual(['Rows Bo']);
    expect(await names([])).toEqual([]);
  });

  it('binds text lists and single values as parameters, never as SQL', async () => {
    const byName = async (name: string) => db.rows<{ id: number }>`SELECT id FROM users WHERE name = ${name}`;
    expect((await byName("Rows O'Hara")).map((r) => Number(r.id))).toEqual([ids[2]]);
    expect(await byName("x' OR '1'='1")).toEqual([]);
    const inNames = await db.rows<{ id: number }>`SELECT id FROM users WHERE name IN ${['Rows Ada', "x') OR ('1'='1"]}`;
    expect(inNames.map((r) => Number(r.id))).toEqual([ids[0]]);
  });
});
