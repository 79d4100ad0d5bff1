/**
 * What a file really is, from its bytes (never from its name). Covers what workshop libraries and
 * policy drafts use: PDF, Office Open XML, OpenDocument, legacy Office, images, plain text.
 */
export interface Sniffed {
  mime: string;
  ext: string;
  label: string;
}

const TYPES = {
  pdf: { mime: 'application/pdf', ext: 'pdf', label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', label: 'Word document' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', label: 'Excel workbook' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx', label: 'PowerPoint presentation' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', ext: 'odt', label: 'OpenDocument text' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', ext: 'ods', label: 'OpenDocument spreadsheet' },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', ext: 'odp', label: 'OpenDocument presentation' },
  ole: { mime: 'application/x-ole-storage', ext: 'doc', label: 'Office 97–2003 document' },
  png: { mime: 'image/png', ext: 'png', label: 'PNG image' },
  jpg: { mime: 'image/jpeg', ext: 'jpg', label: 'JPEG image' },
  txt: { mime: 'text/plain', ext: 'txt', label: 'Text' },
} as const satisfies Record<string, Sniffed>;
export type SniffedKind = keyof typeof TYPES;

const starts = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const has = (b: Buffer, text: string) => b.includes(Buffer.from(text, 'latin1'));

export function sniff(buffer: Buffer): (Sniffed & { kind: SniffedKind }) | null {
  const hit = (kind: SniffedKind) => ({ kind, ...TYPES[kind] });
  if (buffer.length === 0) return null;
  if (starts(buffer, [0x25, 0x50, 0x44, 0x46, 0x2d])) return hit('pdf');
  if (starts(buffer, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return hit('png');
  if (starts(buffer, [0xff, 0xd8, 0xff])) return hit('jpg');
  if (starts(buffer, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return hit('ole');
  if (starts(buffer, [0x50, 0x4b, 0x03, 0x04])) {
    // OpenDocument: a stored "mimetype" entry first, holding the media type.
    if (buffer.toString('latin1', 30, 38) === 'mimetype') {
      const mt = buffer.toString('latin1', 38, 38 + 60);
      if (mt.startsWith(TYPES.odt.mime)) return hit('odt');
      if (mt.startsWith(TYPES.ods.mime)) return hit('ods');
      if (mt.startsWith(TYPES.odp.mime)) return hit('odp');
    }
    if (has(buffer, '[Content_Types].xml')) {
      if (has(buffer, 'word/')) return hit('docx');
      if (has(buffer, 'xl/')) return hit('xlsx');
      if (has(buffer, 'ppt/')) return hit('pptx');
    }
    return null; // some other ZIP: not accepted
  }
  // Plain text (UTF-8, no NUL bytes, no invalid sequences) — Markdown, CSV.
  if (!buffer.includes(0) && Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer)) return hit('txt');
  return null;
}

export const SNIFFED_LABELS = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [k, v.label])) as Record<SniffedKind, string>;
