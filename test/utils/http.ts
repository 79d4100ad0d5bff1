import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export type Agent = TestAgent;

export function agent(server: unknown): Agent {
  return request.agent(server as never);
}

/** The CSRF token of the first form on a page. */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

/** Opens a page as a person would, then sends its form with the page's CSRF token. */
export async function submitForm(a: Agent, pagePath: string, action: string, fields: Record<string, string | string[]>) {
  const page = await a.get(pagePath);
  if (page.status !== 200) throw new Error(`GET ${pagePath} answered ${page.status}`);
  return a
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

/** The text content of a page, tags removed and white space folded: what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
