import type { EntityManager } from 'typeorm';
import { addDays, zonedToUtc } from '../common/zoned-time';
import { Course } from '../courses/course.entity';
import { Phase } from '../courses/phase.entity';
import { DomainEvent } from '../events/domain-event.entity';
import { Review, Submission, SubmissionEvent, type SubmissionStatus, SubmissionVersion } from '../submissions/submission.entity';
import { Task } from '../tasks/task.entity';
import { Team } from '../teams/team.entity';
import { TeamMember } from '../teams/team-member.entity';
import { User } from '../users/user.entity';

const RUBRIC = [
  {
    title: 'Relevance to the context',
    levels: [
      { label: 'Emerging', descriptor: 'The context is mentioned but not analysed.' },
      { label: 'Developing', descriptor: 'Key data and actors are described.' },
      { label: 'Strong', descriptor: 'Every measure builds on evidence about the context.' },
    ],
  },
  {
    title: 'Lifelong-learning perspective',
    levels: [
      { label: 'Emerging', descriptor: 'Focus on one sector of education only.' },
      { label: 'Developing', descriptor: 'Several sectors and ages are covered.' },
      { label: 'Strong', descriptor: 'Learning across life and all settings, formal to informal.' },
    ],
  },
  {
    title: 'Feasibility',
    levels: [
      { label: 'Weak', descriptor: 'No budget, timeline or responsibilities.' },
      { label: 'Good', descriptor: 'Costed, phased, with clear responsibilities.' },
    ],
  },
];

const TASKS = [
  {
    phase: 0,
    title: 'Country context analysis',
    due: 7,
    rubric: false,
    instructions:
      '## What to do\n\nDescribe the state of lifelong learning in your country or city: **policies**, **actors**, **data** and **gaps**. Use the template in the resources.\n\nAbout 2–4 pages.',
  },
  {
    phase: 0,
    title: 'Draft policy outline',
    due: 18,
    rubric: true,
    instructions:
      '## What to do\n\nOutline your policy, strategy or action plan: vision, objectives, main measures, governance.\n\nDraw on chapter 3 of *Making Lifelong Learning a Reality*.',
  },
  {
    phase: 1,
    title: 'Refined draft during the in-person week',
    due: 25,
    rubric: true,
    instructions: 'Team leaders refine the draft with the experts during the week. Submit the refined draft by Friday noon.',
  },
  {
    phase: 2,
    title: 'Final implementation plan',
    due: 60,
    rubric: true,
    instructions: 'The final document, with a costed and phased implementation plan and monitoring indicators.',
  },
];

const TEXT_V1 =
  '# Lifelong learning for all\n\n## Vision\n\nEvery citizen learns throughout life.\n\n## Objectives\n\n- Expand community learning centres\n- Recognise non-formal learning\n';
const TEXT_V2 = TEXT_V1 + '\n## Budget\n\nAbout 2 million USD over five years, shared between the ministry and provinces.\n';

/**
 * Tasks in each phase of the demo workshops, and submissions at different stages: a draft,
 * a submitted first version, feedback released with changes requested and a second version.
 */
export async function seedDemoTasks(em: EntityManager, course: Course, phases: Phase[], now: Date): Promise<void> {
  if (await em.getRepository(Task).existsBy({ courseId: course.id })) return;
  const facilitator = await em.getRepository(User).findOneBy({ email: 'facilitator@atelier.example' });
  const tasks: Task[] = [];
  for (const [i, t] of TASKS.entries()) {
    const day = addDays(phases[0].startsOn, t.due + 14);
    tasks.push(
      await em.getRepository(Task).save(
        em.getRepository(Task).create({
          courseId: course.id,
          phaseId: phases[t.phase].id,
          position: i + 1,
          title: t.title,
          instructions: t.instructions,
          kind: 'team',
          opensAt: zonedToUtc(phases[t.phase].startsOn, '09:00', course.timeZone),
          dueAt: zonedToUtc(day, '17:00', course.timeZone),
          cutOffAt: zonedToUtc(addDays(day, 3), '23:59', course.timeZone),
          expectsText: true,
          expectsFiles: true,
          allowedTypes: 'pdf,docx,odt',
          maxFiles: 3,
          rubric: t.rubric ? JSON.stringify(RUBRIC) : '',
          audience: 'all',
          status: 'published',
          createdAt: now,
          updatedAt: now,
        }),
      ),
    );
  }
  const teams = await em.getRepository(Team).find({ where: { courseId: course.id }, order: { id: 'ASC' } });
  const stages: SubmissionStatus[] = ['changes_requested', 'submitted', 'draft', 'resubmitted'];
  for (const [i, team] of teams.entries()) {
    const stage = stages[i % stages.length];
    const leader = await em.getRepository(TeamMember).findOne({ where: { teamId: team.id, teamRole: 'leader' } });
    if (!leader) continue;
    // Everyone with a leader has handed in the context analysis, and it was accepted.
    await seedSubmission(em, tasks[0], team.id, leader.userId, facilitator?.id ?? null, 'accepted', now);
    await seedSubmission(em, tasks[1], team.id, leader.userId, facilitator?.id ?? null, stage, now);
  }
}

async function seedSubmission(em: EntityManager, task: Task, teamId: number, authorId: number, reviewerId: number | null, stage: SubmissionStatus, now: Date) {
  const hours = (h: number) => new Date(now.getTime() - h * 3600_000);
  const sub = await em.getRepository(Submission).save(
    em.getRepository(Submission).create({
      taskId: task.id,
      ownerKey: `team:${teamId}`,
      teamId,
      userId: null,
      status: stage,
      draftText: stage === 'changes_requested' || stage === 'resubmitted' ? TEXT_V2 : TEXT_V1,
      draftRevision: 2,
      draftUpdatedAt: hours(30),
      draftUpdatedById: authorId,
      late: false,
      dueAtOverride: null,
      cutOffAtOverride: null,
      createdAt: hours(72),
      updatedAt: hours(2),
    }),
  );
  const events: [SubmissionStatus, SubmissionStatus, number, string, number | null][] = [['not_started', 'draft', 72, '', authorId]];
  // What the services record as domain events when people do this (the audit log, the report's
  // "active" and the notifications read them), dated when it happened and already handed over, so
  // that nobody is notified of the demo's past.
  const happened: { kind: string; actorId: number | null; subject: [string, number]; payload: Record<string, unknown>; h: number }[] = [];
  const handedIn = (version: number, h: number) =>
    happened.push({ kind: 'submission.submitted', actorId: authorId, subject: ['submission', sub.id], payload: { taskId: task.id, version, late: false }, h });
  if (stage !== 'draft') {
    const v1 = await em.getRepository(SubmissionVersion).save({
      submissionId: sub.id,
      number: 1,
      text: TEXT_V1,
      note: 'First version for feedback',
      authorId,
      submittedAt: hours(48),
      late: false,
      sharedAt: null,
      sharedById: null,
    });
    events.push(['draft', 'submitted', 48, 'Version 1', authorId]);
    handedIn(1, 48);
    if (stage !== 'submitted') {
      const accepted = stage === 'accepted';
      const review = await em.getRepository(Review).save({
        versionId: v1.id,
        reviewerId,
        decision: accepted ? 'accept' : 'changes',
        overall: accepted
          ? 'A clear analysis of the context. Well done.'
          : 'A good start. Please add a **budget** and say who is responsible for each measure.',
        scores: task.rubric
          ? JSON.stringify([
              { criterion: 'Relevance to the context', level: 'Developing', comment: '' },
              { criterion: 'Lifelong-learning perspective', level: 'Strong', comment: '' },
              { criterion: 'Feasibility', level: accepted ? 'Good' : 'Weak', comment: accepted ? '' : 'No budget yet.' },
            ])
          : '[]',
        releasedAt: hours(24),
        createdAt: hours(26),
        updatedAt: hours(24),
      });
      events.push(['submitted', 'in_review', 26, 'Review of version 1 started', reviewerId]);
      events.push(['in_review', accepted ? 'accepted' : 'changes_requested', 24, 'Feedback on version 1 released', reviewerId]);
      happened.push({
        kind: 'review.released',
        actorId: reviewerId,
        subject: ['review', review.id],
        payload: { submissionId: sub.id, taskId: task.id, version: 1, decision: accepted ? 'accept' : 'changes' },
        h: 24,
      });
      if (stage === 'resubmitted') {
        await em.getRepository(SubmissionVersion).save({
          submissionId: sub.id,
          number: 2,
          text: TEXT_V2,
          note: 'Budget added',
          authorId,
          submittedAt: hours(3),
          late: false,
          sharedAt: null,
          sharedById: null,
        });
        events.push(['changes_requested', 'resubmitted', 3, 'Version 2: Budget added', authorId]);
        handedIn(2, 3);
      }
    }
  }
  await em
    .getRepository(SubmissionEvent)
    .insert(events.map(([fromStatus, toStatus, h, note, actorId]) => ({ submissionId: sub.id, fromStatus, toStatus, actorId, at: hours(h), note })));
  await em.getRepository(Submission).update({ id: sub.id }, { statusChangedAt: hours(events[events.length - 1][2]) });
  if (happened.length)
    await em.getRepository(DomainEvent).insert(
      happened.map((e) => ({
        kind: e.kind,
        actorId: e.actorId,
        courseId: task.courseId,
        subjectType: e.subject[0],
        subjectId: e.subject[1],
        payload: JSON.stringify(e.payload),
        occurredAt: hours(e.h),
        dispatchedAt: hours(e.h),
      })),
    );
}
