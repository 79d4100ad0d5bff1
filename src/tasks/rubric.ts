import type { RubricCriterion } from './task.entity';

/**
 * The rubric as facilitators type it: one block per criterion, its title on the first line and
 * one level per following line, "- Level: what it looks like". Blank lines separate criteria.
 *
 *   Relevance to the national context
 *   - Emerging: mentions the context
 *   - Strong: builds every measure on evidence about the context
 */
export function parseRubric(source: string): { criteria: RubricCriterion[]; problems: string[] } {
  const criteria: RubricCriterion[] = [];
  const problems: string[] = [];
  const blocks = source
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  for (const block of blocks) {
    const [titleLine, ...rest] = block.split('\n').map((l) => l.trim());
    if (titleLine.startsWith('-')) {
      problems.push(`A criterion needs a title line before its levels (near “${titleLine.slice(0, 40)}”).`);
      continue;
    }
    const levels = rest.filter(Boolean).map((line) => {
      const m = /^-\s*([^:]+?)\s*:\s*(.*)$/.exec(line);
      return m ? { label: m[1], descriptor: m[2] } : null;
    });
    if (levels.some((l) => l === null)) {
      problems.push(`Write each level of “${titleLine}” as “- Level: description”.`);
      continue;
    }
    if (levels.length < 2) {
      problems.push(`“${titleLine}” needs at least two levels.`);
      continue;
    }
    criteria.push({ title: titleLine.slice(0, 200), levels: levels as RubricCriterion['levels'] });
  }
  if (criteria.length > 12) problems.push('A rubric has at most 12 criteria.');
  return { criteria, problems };
}

export function rubricToText(criteria: RubricCriterion[]): string {
  return criteria.map((c) => [c.title, ...c.levels.map((l) => `- ${l.label}: ${l.descriptor}`)].join('\n')).join('\n\n');
}

export function readRubric(json: string): RubricCriterion[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as RubricCriterion[]) : [];
  } catch {
    return [];
  }
}
