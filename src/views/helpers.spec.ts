import { HELPERS } from './helpers';

const opts = (root: Record<string, unknown> = {}, hash: Record<string, unknown> = {}) => ({ data: { root }, hash });

describe('view helpers', () => {
  it('formats instants in the viewer’s zone, with the event’s zone beside it', () => {
    const root = { currentUser: { timeZone: 'Europe/Berlin' } };
    expect(HELPERS.datetime(new Date('2024-10-21T01:00:00Z'), opts(root, { also: 'Asia/Shanghai' }))).toBe('Mon 21 Oct 2024, 03:00 (Europe/Berlin) · Mon 21 Oct 2024, 09:00 (Asia/Shanghai)');
    expect(HELPERS.datetime(null, opts(root))).toBe('');
  });

  it('marks chosen options and checked boxes', () => {
    expect(HELPERS.selected('zh', 'zh')).toBe('selected');
    expect(HELPERS.selected('zh', undefined)).toBe('');
    expect(HELPERS.checked('fr', ['zh', 'fr'])).toBe('checked');
    expect(HELPERS.checked('fr', 'zh,fr')).toBe('checked');
    expect(HELPERS.checked('en', undefined)).toBe('');
  });

  it('lists time zones with the suggested ones first and marks the chosen zone once', () => {
    const html = String(HELPERS.timeZoneOptions({ suggested: ['Asia/Shanghai'], groups: [{ region: 'Asia', zones: ['Asia/Jakarta', 'Asia/Shanghai'] }] }, 'Asia/Shanghai'));
    expect(html).toBe('<optgroup label="Suggested"><option selected>Asia/Shanghai</optgroup>\n<optgroup label="Asia"><option>Asia/Jakarta<option>Asia/Shanghai</optgroup>');
  });

  it('encodes values for links', () => {
    expect(HELPERS.urlParam('Key features of learning cities & SDG 11')).toBe('Key%20features%20of%20learning%20cities%20%26%20SDG%2011');
    expect(HELPERS.urlParam(undefined)).toBe('');
  });

  it('treats empty lists as false in or/and, like {{#if}}', () => {
    expect(HELPERS.or('', [], {})).toBe(false);
    expect(HELPERS.or('', ['x'], {})).toBe(true);
    expect(HELPERS.and('a', [], {})).toBe(false);
  });

  it('reads field errors and values from the root of a re-rendered form', () => {
    const root = { errors: { email: ['Enter an e-mail address.'] }, values: { email: 'x@y', n: 0 } };
    expect(HELPERS.fieldErrors('email', opts(root))).toEqual(['Enter an e-mail address.']);
    expect(HELPERS.fieldErrors('name', opts(root))).toEqual([]);
    expect(HELPERS.fieldValue('email', opts(root))).toBe('x@y');
    expect(HELPERS.fieldValue('n', opts(root))).toBe(0);
    expect(HELPERS.fieldValue('missing', opts(root))).toBe('');
  });

  it('counts in words', () => {
    expect(HELPERS.plural(1, 'team')).toBe('1 team');
    expect(HELPERS.plural(3, 'person', 'people')).toBe('3 people');
  });
});
