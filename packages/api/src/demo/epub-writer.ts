import { writeZip } from './zip-writer.js';

export interface EpubBook {
  id: string;
  title: string;
  author: string;
  language: string;
  /** One chapter: its heading and paragraphs (plain text, escaped here). */
  chapter: { heading: string; paragraphs: string[] };
}

/** An EPUB 3 book: `mimetype` stored first, the container, the package document, navigation and one chapter. */
export function writeEpub(book: EpubBook): Buffer {
  const container = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`;
  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">${xml(book.id)}</dc:identifier>
    <dc:title>${xml(book.title)}</dc:title>
    <dc:creator>${xml(book.author)}</dc:creator>
    <dc:language>${xml(book.language)}</dc:language>
    <meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="chapter-1" href="chapter-1.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine><itemref idref="chapter-1"/></spine>
</package>
`;
  const nav = page(
    book,
    book.title,
    `<nav epub:type="toc" id="toc"><ol><li><a href="chapter-1.xhtml">${xml(book.chapter.heading)}</a></li></ol></nav>`,
  );
  const chapter = page(
    book,
    book.chapter.heading,
    `<h1>${xml(book.chapter.heading)}</h1>\n${book.chapter.paragraphs.map((p) => `<p>${xml(p)}</p>`).join('\n')}`,
  );
  return writeZip([
    { name: 'mimetype', data: Buffer.from('application/epub+zip'), store: true },
    { name: 'META-INF/container.xml', data: Buffer.from(container) },
    { name: 'OEBPS/content.opf', data: Buffer.from(opf) },
    { name: 'OEBPS/nav.xhtml', data: Buffer.from(nav) },
    { name: 'OEBPS/chapter-1.xhtml', data: Buffer.from(chapter) },
  ]);
}

function page(book: EpubBook, title: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${xml(book.language)}">
<head><title>${xml(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

function xml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
