import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The content version (decision 76): one row whose number goes up with every write to a table whose
 * rows some page shows, by a trigger on each of those tables, whoever writes (this process, a
 * worker, another instance, the database shell). The read snapshots of the heavy pages are used
 * again only while it stays the same (decision 74). Left out, because writing them changes no
 * page a snapshot keeps: sessions (renewed as people browse), rate-limit counters, the e-mail
 * outbox, notifications and their digests (the header's count is read per request), password
 * resets, and the dispatch mark on domain events (an event's insert counts). A table added later
 * gets the same triggers in its own migration; `test/content-version.e2e-spec.ts` fails for a
 * table that has neither triggers nor a place in `UNVERSIONED_TABLES`.
 */
const TABLES = [
  'availabilities',
  'availability_days_off',
  'availability_one_off_windows',
  'availability_weekly_windows',
  'calendar_feeds',
  'course_members',
  'courses',
  'invitations',
  'meeting_actions',
  'meeting_attendance',
  'meeting_people',
  'meeting_teams',
  'meetings',
  'notification_preferences',
  'phases',
  'programme_sessions',
  'resource_tags',
  'resources',
  'review_files',
  'reviews',
  'submission_events',
  'submission_files',
  'submission_message_edits',
  'submission_messages',
  'submission_versions',
  'submissions',
  'task_resources',
  'task_teams',
  'tasks',
  'team_experts',
  'team_members',
  'teams',
  'users',
  'version_files',
  'working_hours',
];

export class ContentVersion1764870000000 implements MigrationInterface {
  name = 'ContentVersion1764870000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(`CREATE TABLE "content_version" ("id" integer PRIMARY KEY NOT NULL, "n" ${pg ? 'bigint' : 'integer'} NOT NULL)`);
    await q.query(`INSERT INTO "content_version" ("id", "n") VALUES (1, 0)`);
    if (pg) {
      // Bumped at commit (deferred constraint triggers), once a transaction: the row's lock is
      // taken as the writer commits and held for that instant only. Taken at the first write and
      // held to the end, it would make two writers that then touch one row wait for each other in
      // a circle (a deadlock); at commit a writer needs nothing else.
      await q.query(
        `CREATE FUNCTION "bump_content_version"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('atelier.content_bumped', true) IS DISTINCT FROM txid_current()::text THEN
            PERFORM set_config('atelier.content_bumped', txid_current()::text, true);
            UPDATE "content_version" SET "n" = "n" + 1 WHERE "id" = 1;
          END IF;
          RETURN NULL;
        END $$`,
      );
      const trigger = (t: string, events: string) =>
        q.query(
          `CREATE CONSTRAINT TRIGGER "TR_${t}_content" AFTER ${events} ON "${t}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "bump_content_version"()`,
        );
      for (const t of TABLES) await trigger(t, 'INSERT OR UPDATE OR DELETE');
      await trigger('domain_events', 'INSERT OR DELETE');
      return;
    }
    // SQLite has row triggers only: one bump per row written, in the writer's transaction.
    const bump = `BEGIN UPDATE "content_version" SET "n" = "n" + 1 WHERE "id" = 1; END`;
    for (const t of TABLES)
      for (const [suffix, event] of [
        ['ins', 'INSERT'],
        ['upd', 'UPDATE'],
        ['del', 'DELETE'],
      ])
        await q.query(`CREATE TRIGGER "TR_${t}_content_${suffix}" AFTER ${event} ON "${t}" FOR EACH ROW ${bump}`);
    await q.query(`CREATE TRIGGER "TR_domain_events_content_ins" AFTER INSERT ON "domain_events" FOR EACH ROW ${bump}`);
    await q.query(`CREATE TRIGGER "TR_domain_events_content_del" AFTER DELETE ON "domain_events" FOR EACH ROW ${bump}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    if (pg) {
      for (const t of [...TABLES, 'domain_events']) await q.query(`DROP TRIGGER "TR_${t}_content" ON "${t}"`);
      await q.query(`DROP FUNCTION "bump_content_version"()`);
    } else {
      for (const t of TABLES) for (const suffix of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER "TR_${t}_content_${suffix}"`);
      await q.query(`DROP TRIGGER "TR_domain_events_content_ins"`);
      await q.query(`DROP TRIGGER "TR_domain_events_content_del"`);
    }
    await q.query(`DROP TABLE "content_version"`);
  }
}
