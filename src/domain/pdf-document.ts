import type PDFKitDocument from 'pdfkit';

/**
 * Every PDF we make (the folder's for HubEE, the family's récapitulatif, the commune's poster) starts here:
 *
 * - pdfkit is loaded on the first document, not at start-up: most processes never draw one before long, and its
 *   module graph is some 11 MiB of memory.
 * - The standard fonts' metrics are parsed once per process instead of once per document. pdfkit builds, for each
 *   document and each font it uses, a table of every glyph's width and of some 2,700 kerning pairs
 *   (`AFMFont`): profiled, that was the largest part of drawing the folder's PDF, itself the largest part of a
 *   transmission's CPU. Each document still gets a font object of its own (its id, its PDF object, whether it
 *   was written); only the metrics, which pdfkit never changes, are shared. The bytes are the same as before
 *   (src/domain/pdf-document.test.ts).
 * - The shared metrics answer a glyph's width and a kerning pair from maps (`fasterLookups`): pdfkit looks a pair up
 *   by a string it concatenates for every pair of letters it measures or draws, which was the largest pdfkit item
 *   (with the garbage it makes) in the folder's profile. Same numbers, so the same bytes.
 */
export type PdfDocument = PDFKit.PDFDocument;

/** The fields of a pdfkit standard font (pdfkit 0.20, pinned) that belong to one document. */
interface StandardFontObject {
  document: unknown;
  id: string;
  name: string;
  dictionary?: unknown;
  embedded?: boolean;
  font: AfmMetrics;
}
/** The fields of pdfkit's AFMFont (the metrics) that `fasterLookups` reads and replaces. */
interface AfmMetrics {
  glyphWidths: Record<string, number>;
  kernPairs: Record<string, number>;
  widthOfGlyph(glyph: string): number;
  getKernPair(left: string, right: string | undefined): number;
}
interface FontInternals {
  _fontFamilies: Record<string, StandardFontObject | undefined>;
  _fontCount: number;
  _font: StandardFontObject | null;
}

const SHARED_FONTS = new Set(['Helvetica', 'Helvetica-Bold']);
/** The first document's font object of each name: the others copy its metrics. */
const templates = new Map<string, StandardFontObject>();

let pdfkit: Promise<typeof PDFKitDocument> | null = null;

export async function newPdfDocument(options: PDFKit.PDFDocumentOptions): Promise<PdfDocument> {
  pdfkit ??= import('pdfkit').then((module) => module.default);
  const PDFDocument = await pdfkit;
  // No default font from the constructor (it would build Helvetica's metrics): the first font() call below sets it,
  // with the same id (F1) the constructor would have given it.
  const doc = new PDFDocument({ ...options, font: null as unknown as string });
  const internals = doc as unknown as FontInternals;
  const font = doc.font.bind(doc) as (src: unknown, family?: unknown, size?: unknown) => PdfDocument;
  doc.font = ((src: unknown, family?: unknown, size?: unknown) => {
    if (typeof src === 'string' && SHARED_FONTS.has(src) && typeof family !== 'string' && !internals._fontFamilies[src]) {
      const template = templates.get(src);
      if (template) {
        // What pdfkit itself would do for a font new to this document (an id, the font under its name), with the
        // metrics of the template.
        const copy = Object.assign(Object.create(Object.getPrototypeOf(template) as object) as StandardFontObject, template, {
          document: doc,
          id: `F${++internals._fontCount}`,
          dictionary: null,
          embedded: false,
        });
        internals._fontFamilies[src] = copy;
      } else {
        font(src, family, size);
        if (internals._font) {
          fasterLookups(internals._font.font);
          templates.set(src, internals._font);
        }
        return doc;
      }
    }
    return font(src, family, size);
  }) as PdfDocument['font'];
  doc.font('Helvetica');
  return doc;
}

/**
 * Gives the metrics of a font shared by every document map lookups for widths and kerning pairs, with the values of
 * pdfkit's own tables (a glyph without width is 0, a pair without kerning is 0, as pdfkit says).
 */
function fasterLookups(metrics: AfmMetrics): void {
  const widths = new Map(Object.entries(metrics.glyphWidths));
  const pairs = new Map<string, Map<string, number>>();
  for (const [key, amount] of Object.entries(metrics.kernPairs)) {
    const [left = '', right = ''] = key.split('\0');
    let rights = pairs.get(left);
    if (!rights) pairs.set(left, (rights = new Map()));
    rights.set(right, amount);
  }
  metrics.widthOfGlyph = (glyph) => widths.get(glyph) || 0;
  metrics.getKernPair = (left, right) => (right === undefined ? 0 : pairs.get(left)?.get(right) || 0);
}

/** The bytes of a document once it has ended. */
export function collect(doc: PdfDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
