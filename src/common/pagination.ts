import { toText } from './to-text';

/** Links for a paginated list, keeping the other query parameters. */
export function pageLinks(basePath: string, query: Record<string, unknown>, page: number, pages: number) {
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && k !== 'page') params.set(k, toText(v));
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return `${basePath}${qs ? `?${qs}` : ''}`;
  };
  return {
    page,
    pages,
    many: pages > 1,
    prev: page > 1 ? href(page - 1) : null,
    next: page < pages ? href(page + 1) : null,
  };
}
