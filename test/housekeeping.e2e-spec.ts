import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileStore } from '../src/files/file-store.service';
import { createTestApp } from './utils/create-test-app';

describe('file housekeeping', () => {
  it('removes old temporary uploads and unreferenced files, keeping referenced and recent ones', async () => {
    const t = await createTestApp();
    try {
      const store = t.app.get(FileStore);
      const tmp = path.join(t.config.uploadDir, 'tmp');
      const files = path.join(t.config.uploadDir, 'files');
      fs.mkdirSync(tmp, { recursive: true });
      fs.mkdirSync(files, { recursive: true });
      const old = new Date(Date.now() - 2 * 3600_000);
      const make = (p: string, when?: Date) => {
        fs.writeFileSync(p, 'x');
        if (when) fs.utimesSync(p, when, when);
      };
      make(path.join(tmp, 'upload-old'), old);
      make(path.join(tmp, 'upload-new'));
      make(path.join(files, 'a'.repeat(32)), old);
      make(path.join(files, 'b'.repeat(32)), old);
      make(path.join(files, 'c'.repeat(32)));
      expect(await store.sweep(new Set(['a'.repeat(32)]))).toBe(2);
      expect(fs.readdirSync(tmp)).toEqual(['upload-new']);
      expect(fs.readdirSync(files).sort()).toEqual(['a'.repeat(32), 'c'.repeat(32)]);
    } finally {
      await t.close();
    }
  });
});

describe('files that rows refer to', () => {
  it('are all listed: every table with a file_key column is one housekeeping reads', async () => {
    const { FILE_KEY_TABLES, HousekeepingService } = await import('../src/housekeeping/housekeeping.service');
    const t = await createTestApp();
    try {
      // Every table with a file_key column is listed, so a new one cannot be forgotten.
      const entityTables = t.db.dataSource.entityMetadatas
        .filter((m) => m.columns.some((c) => c.databaseName === 'file_key'))
        .map((m) => m.tableName)
        .sort();
      expect([...FILE_KEY_TABLES].sort()).toEqual(entityTables);
      expect(await t.app.get(HousekeepingService).referencedFileKeys()).toEqual(new Set());
      // That each listed table's files survive a sweep is proved in submission-files.e2e-spec.ts.
    } finally {
      await t.close();
    }
  });
});
