import { parseRubric, rubricToText } from './rubric';

describe('parseRubric', () => {
  it('reads criteria and levels, and writes them back the same way', () => {
    const text = 'Relevance\n- Emerging: mentions the context\n- Strong: builds on evidence\n\nFeasibility\n- Weak: no budget\n- Good: costed and phased';
    const { criteria, problems } = parseRubric(text);
    expect(problems).toEqual([]);
    expect(criteria).toEqual([
      {
        title: 'Relevance',
        levels: [
          { label: 'Emerging', descriptor: 'mentions the context' },
          { label: 'Strong', descriptor: 'builds on evidence' },
        ],
      },
      {
        title: 'Feasibility',
        levels: [
          { label: 'Weak', descriptor: 'no budget' },
          { label: 'Good', descriptor: 'costed and phased' },
        ],
      },
    ]);
    expect(rubricToText(criteria)).toBe(text);
  });

  it.each([
    ['Only one\n- Level: x', '“Only one” needs at least two levels.'],
    ['Bad\n- no colon here\n- B: y', 'Write each level of “Bad” as “- Level: description”.'],
    ['- Level: x\n- Other: y', 'A criterion needs a title line before its levels'],
  ])('explains a problem: %s', (text, message) => {
    expect(parseRubric(text).problems.join(' ')).toContain(message);
  });

  it('accepts an empty rubric', () => {
    expect(parseRubric('  \n ')).toEqual({ criteria: [], problems: [] });
  });
});
