import { jest } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileStore, SWEEP_BATCH } from '../src/files/file-store.service';
import { HousekeepingService } from '../src/housekeeping/housekeeping.service';
import { createTestApp } from './utils/create-test-app';
import { Resource } from '../src/resources/resource.entity';
import { Review, ReviewFile, SubmissionFile, VersionFile } from '../src/submissions/submission.entity';
import { createCourseWithTeams, createFileResource, createTaskThroughApp, releaseReview, signedIn, submitWork } from './utils/factories';

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

describe('the periodic sweep among many files', () => {
  it('asks about one batch of keys at a time, and never removes a file a row of any kind names or a young one', async () => {
    const t = await createTestApp();
    try {
      const a = await createCourseWithTeams(t.db, { teams: [{ leader: {} }] });
      const asFac = await signedIn(t.server, a.facilitator);
      const asLeader = await signedIn(t.server, a.teams[0].leader!);
      const task = await createTaskThroughApp(t.db, asFac, a.course.id, {
        title: 'Annex',
        phaseId: String(a.phases[0].id),
        expectsFiles: 'on',
        allowedTypes: ['pdf'],
        maxFiles: '3',
      });
      const base = `/courses/${a.course.id}/tasks/${task.id}/submissions/team-${a.teams[0].team.id}`;
      await submitWork(asLeader, base, { text: 'v1', files: [['annex.pdf', Buffer.from('%PDF-1.7\nannex\n%%EOF')]] });
      await releaseReview(asFac, base, 'accept', 'Fine.');
      await createFileResource(asFac, a.course.id, 'Reading', ['reading.pdf', Buffer.from('%PDF-1.7\nreading\n%%EOF')]);
      // Many more rows of each kind, each naming its own file, so the named files fall in every batch.
      const version = await t.db.repo(VersionFile).findOneByOrFail({});
      const { id: _v, versionId, ...stored } = version;
      const { id: _s, ...draft } = await t.db.repo(SubmissionFile).findOneByOrFail({});
      const { id: _r, ...resource } = await t.db.repo(Resource).findOneByOrFail({ kind: 'file' } as never);
      const review = await t.db.repo(Review).findOneByOrFail({ versionId });
      const key = (kind: number, i: number) => `${kind}${i.toString(16).padStart(31, 'a')}`;
      const PER_KIND = 150;
      await t.db.tx(async (em) => {
        for (let i = 0; i < PER_KIND; i++) {
          await em.getRepository(VersionFile).save({ ...stored, versionId, fileKey: key(1, i) });
          await em.getRepository(SubmissionFile).save({ ...draft, fileKey: key(2, i) });
          await em.getRepository(ReviewFile).save({ ...stored, reviewId: review.id, fileKey: key(3, i) });
          await em.getRepository(Resource).save({ ...resource, fileKey: key(4, i) });
        }
      });
      const housekeeping = t.app.get(HousekeepingService);
      const named = [...(await housekeeping.referencedFileKeys())].sort();
      expect(named.length).toBeGreaterThanOrEqual(4 * PER_KIND + 2);
      const dir = path.join(t.config.uploadDir, 'files');
      for (const name of named) fs.writeFileSync(path.join(dir, name), 'named');
      expect(fs.readdirSync(dir).sort()).toEqual(named);
      // Among them, over two batches of old files nothing names; and a young one.
      const orphans = Array.from({ length: 2 * SWEEP_BATCH + 7 }, (_, i) => i.toString(16).padStart(32, '0'));
      for (const name of orphans) fs.writeFileSync(path.join(dir, name), 'x');
      const old = new Date(Date.now() - 2 * 3600_000);
      for (const name of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, name), old, old);
      const young = 'e'.repeat(32);
      fs.writeFileSync(path.join(dir, young), 'x');

      const asked = jest.spyOn(housekeeping, 'referencedFileKeys');
      expect(await housekeeping.sweepFiles()).toBe(orphans.length);
      expect(fs.readdirSync(dir).sort()).toEqual([...named, young].sort());
      expect(asked.mock.calls.length).toBeGreaterThanOrEqual(4);
      for (const [keys] of asked.mock.calls) expect(keys!.length).toBeLessThanOrEqual(SWEEP_BATCH);
    } finally {
      await t.close();
    }
  });
});
