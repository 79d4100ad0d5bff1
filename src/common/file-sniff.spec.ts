import { sniff } from './file-sniff';

function zip(entries: string[]): Buffer {
  // Minimal local file headers: enough for content sniffing.
  return Buffer.concat(
    entries.map((name) =>
      Buffer.concat([
        Buffer.from([0x50, 0x4b, 0x03, 0x04]),
        Buffer.alloc(22),
        Buffer.from([name.length, 0, 0, 0]),
        Buffer.from(name, 'latin1'),
        Buffer.from('data'),
      ]),
    ),
  );
}

describe('sniff', () => {
  it.each([
    ['pdf', Buffer.from('%PDF-1.7\n...'), 'pdf'],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'png'],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'jpg'],
    ['docx', zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']), 'docx'],
    ['xlsx', zip(['[Content_Types].xml', 'xl/workbook.xml']), 'xlsx'],
    ['pptx', zip(['[Content_Types].xml', 'ppt/presentation.xml']), 'pptx'],
    ['odt', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('mimetypeapplication/vnd.oasis.opendocument.text')]), 'odt'],
    ['markdown', Buffer.from('# Plan d’action\n\n- Objectif 1\n'), 'txt'],
  ])('recognises %s by content', (_n, bytes, kind) => {
    expect(sniff(bytes)?.kind).toBe(kind);
  });

  it.each([
    ['an executable', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00])],
    ['an ELF binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])],
    ['a plain zip', zip(['evil.exe'])],
    ['an empty file', Buffer.alloc(0)],
    ['invalid UTF-8', Buffer.from([0x41, 0xff, 0xfe, 0x42])],
  ])('refuses %s', (_n, bytes) => {
    expect(sniff(bytes)).toBeNull();
  });
});
