import { composeMail } from './compose';

describe('composeMail', () => {
  it('puts the workshop in the subject, the same words in both parts, and escapes the HTML part', () => {
    const m = composeMail({
      courseTitle: 'Cities <Learning>',
      subject: 'Feedback released',
      lines: ['Your draft "A & B" has feedback.'],
      action: { label: 'Open the submission', url: 'https://atelier.example.org/courses/1?a=1&b=2' },
      preferencesUrl: 'https://atelier.example.org/account/notifications',
    });
    expect(m.subject).toBe('[Cities <Learning>] Feedback released');
    expect(m.text).toContain('Your draft "A & B" has feedback.');
    expect(m.text).toContain('Open the submission: https://atelier.example.org/courses/1?a=1&b=2');
    expect(m.text).toContain('https://atelier.example.org/account/notifications');
    expect(m.html).toContain('Cities &lt;Learning&gt;');
    expect(m.html).toContain('Your draft &quot;A &amp; B&quot; has feedback.');
    expect(m.html).toContain('href="https://atelier.example.org/courses/1?a=1&amp;b=2"');
    expect(m.html).not.toContain('<Learning>');
  });

  it('keeps a subject on one line', () => {
    expect(composeMail({ subject: 'a\r\nBcc: x@example.org', lines: [] }).subject).toBe('a Bcc: x@example.org');
  });
});
