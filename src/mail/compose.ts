/**
 * One look for every e-mail: a plain-text part and a light HTML part with the same words, the
 * workshop's name in the subject, the link to the page, and a footer linking to the notification
 * preferences. Everything given is text; the HTML part escapes it.
 */
export interface MailContent {
  /** The workshop the message is about; it leads the subject ("[Workshop] …"). */
  courseTitle?: string | null;
  /** The subject without the workshop's name, also the HTML heading. */
  subject: string;
  /** Paragraphs of plain text, in order. */
  lines: string[];
  /** The page the message is about: an absolute URL and the words for the link. */
  action?: { label: string; url: string } | null;
  /** An absolute URL of the preferences page; omitted for mail nobody opted into (invitations, resets). */
  preferencesUrl?: string | null;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function composeMail(m: MailContent): ComposedMail {
  const subject = (m.courseTitle ? `[${m.courseTitle}] ${m.subject}` : m.subject).replace(/[\r\n]+/g, ' ').slice(0, 300);
  const footer = m.preferencesUrl ? `You receive this because of your notification settings in Atelier. Change them: ${m.preferencesUrl}` : 'Sent by Atelier.';
  const text = [...m.lines, ...(m.action ? [`${m.action.label}: ${m.action.url}`] : []), '--', footer].join('\n\n') + '\n';
  const para = (s: string) => `<p style="margin:0 0 1em">${escape(s).replace(/\n/g, '<br>')}</p>`;
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escape(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif">',
    '<div style="max-width:600px;margin:0 auto">',
    m.courseTitle ? `<p style="margin:0 0 .5em;color:#4a4a4a;font-size:14px">${escape(m.courseTitle)}</p>` : '',
    `<h1 style="margin:0 0 1em;font-size:20px">${escape(m.subject)}</h1>`,
    ...m.lines.map(para),
    m.action
      ? `<p style="margin:1.5em 0"><a href="${escape(m.action.url)}" style="display:inline-block;padding:10px 16px;background:#1f4e79;color:#ffffff;text-decoration:none;border-radius:4px">${escape(m.action.label)}</a></p>`
      : '',
    '<hr style="border:0;border-top:1px solid #d0d0d0;margin:2em 0 1em">',
    `<p style="margin:0;color:#4a4a4a;font-size:13px">${
      m.preferencesUrl
        ? `You receive this because of your notification settings in Atelier. <a href="${escape(m.preferencesUrl)}" style="color:#1f4e79">Change them</a>.`
        : 'Sent by Atelier.'
    }</p>`,
    '</div></body></html>',
  ].join('\n');
  return { subject, text, html };
}
