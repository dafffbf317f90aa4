import { AppError } from '../errors.ts';

/** The kinds of file an attachment may be; HEIC is recognised only to be converted (or refused). */
export type FileKind = 'pdf' | 'jpeg' | 'png' | 'heic';
/** The kinds stored as they are. */
export type StoredKind = Exclude<FileKind, 'heic'>;

export const fileKinds: Record<FileKind, { contentType: string; extension: string }> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
  heic: { contentType: 'image/heic', extension: 'heic' },
};

/** How many leading bytes sniffFileType needs at most. */
export const SNIFF_BYTES = 64;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// HEIF image brands (ISO/IEC 23008-12): HEVC stills and sequences, and the generic MIAF ones phones write.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
// AVIF shares the HEIF container (and lists mif1 among its compatible brands) but not the codec.
const NOT_HEIC_BRANDS = new Set(['avif', 'avis']);

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** The type of a file from its first bytes (magic numbers), whatever its name says. */
export function sniffFileType(head: Uint8Array): { kind: FileKind | null; contentType: string } {
  const kind = sniffKind(head);
  return { kind, contentType: kind ? fileKinds[kind].contentType : 'application/octet-stream' };
}

function sniffKind(head: Uint8Array): FileKind | null {
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, PNG_SIGNATURE)) return 'png';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const major = ascii(head, 8, 12);
    if (NOT_HEIC_BRANDS.has(major)) return null;
    if (HEIC_BRANDS.has(major)) return 'heic';
    // Compatible brands follow the minor version, up to the end of the ftyp box.
    const boxSize = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    const end = Math.min(boxSize, head.length);
    for (let at = 16; at + 4 <= end; at += 4) {
      const brand = ascii(head, at, at + 4);
      if (brand === 'heic' || brand === 'heix') return 'heic';
    }
  }
  return null;
}

const MAX_BASE_LENGTH = 100;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A file name without folders, control or bidirectional characters, characters Windows refuses, nor edge dots. */
function cleanName(fileName: string): string {
  return fileName
    .normalize('NFC')
    .split(/[/\\]/)
    .pop()!
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
}

/**
 * A file name safe to store and to offer in a download: no folders, no control or bidirectional
 * characters, accents kept, at most 100 characters before an extension that matches the content.
 */
export function safeFileName(fileName: string, extension: string): string {
  // The last extension (letters and digits, at least one letter) is replaced by the real one.
  const base = cleanName(cleanName(fileName).replace(/\.(?=[a-z0-9]*[a-z])[a-z0-9]{1,5}$/i, '')) || 'piece-jointe';
  const short = Array.from(base)
    .slice(0, MAX_BASE_LENGTH)
    .join('')
    .replace(/[\s.]+$/, '');
  return `${WINDOWS_RESERVED.test(short) ? `_${short}` : short}.${extension}`;
}

/** The name as the agent knows it, cleaned, for messages. */
export function displayFileName(fileName: string): string {
  return (
    Array.from(cleanName(fileName))
      .slice(0, MAX_BASE_LENGTH + 10)
      .join('') || 'sans nom'
  );
}

/** Size in French megabytes for messages: « 12,4 Mo ». */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb.toLocaleString('fr-FR', { maximumFractionDigits: mb < 10 ? 1 : 0 })} Mo`;
}

export const MEGABYTE = 1024 * 1024;

/** The refusal of a HEIC photo, with what the agent can do about it. */
export const heicRefused = (fileName: string, why = 'elle n’a pas pu être convertie') =>
  new AppError(
    'ATTACHMENT_HEIC_REFUSED',
    415,
    `Photo au format HEIC (iPhone) « ${fileName} » : ${why}. Sur l’iPhone, dans Réglages > Appareil photo > Formats, ` +
      'choisissez « Le plus compatible », ou envoyez la photo en JPEG (par exemple en la partageant par courriel en taille réelle).',
  );

/**
 * Checks that a file can be stored as it is: not empty, not too large, a PDF, JPEG or PNG by its
 * content. Returns its real type and a safe name with the matching extension. HEIC photos are
 * refused here: prepareAttachment converts them first.
 */
export function checkAttachment(
  bytes: Uint8Array,
  fileName: string,
  limits: { maxBytes: number } = { maxBytes: 10 * MEGABYTE },
): { kind: StoredKind; contentType: string; extension: string; safeFileName: string } {
  const name = displayFileName(fileName);
  if (bytes.length === 0) {
    throw new AppError(
      'ATTACHMENT_EMPTY',
      422,
      `Le fichier « ${name} » est vide. Vérifiez qu’il s’ouvre sur votre poste, puis joignez-le à nouveau.`,
    );
  }
  if (bytes.length > limits.maxBytes) {
    throw new AppError(
      'ATTACHMENT_TOO_LARGE',
      413,
      `Le fichier « ${name} » pèse ${formatMegabytes(bytes.length)} : la limite est de ${formatMegabytes(limits.maxBytes)} par fichier. ` +
        'Réduisez-le (numérisation en 150 ppp ou en noir et blanc, PDF compressé, photo en taille moyenne) puis joignez-le à nouveau.',
      undefined,
      { sizeBytes: bytes.length, maxBytes: limits.maxBytes },
    );
  }
  const { kind } = sniffFileType(bytes.subarray(0, SNIFF_BYTES));
  if (kind === 'heic') throw heicRefused(name, 'ce format n’est pas accepté tel quel');
  if (!kind) {
    throw new AppError(
      'ATTACHMENT_TYPE_REFUSED',
      415,
      `Le fichier « ${name} » n’est ni un PDF, ni une image JPEG ou PNG (son contenu a été vérifié, pas seulement son nom). ` +
        'Enregistrez le document en PDF, ou prenez-le en photo en JPEG, puis joignez-le à nouveau.',
    );
  }
  const { contentType, extension } = fileKinds[kind];
  return { kind, contentType, extension, safeFileName: safeFileName(fileName, extension) };
}

/** Refuses an attachment that would take a request past its total (REQUEST_ATTACHMENTS_MAX_MB). */
export function checkRequestAttachmentsTotal(alreadyBytes: number, addedBytes: number, limits: { requestMaxBytes: number }): void {
  if (alreadyBytes + addedBytes <= limits.requestMaxBytes) return;
  throw new AppError(
    'ATTACHMENTS_TOTAL_TOO_LARGE',
    413,
    `Les pièces jointes de cette demande dépasseraient ${formatMegabytes(limits.requestMaxBytes)} au total ` +
      `(déjà ${formatMegabytes(alreadyBytes)}, ce fichier ${formatMegabytes(addedBytes)}). ` +
      'Réduisez le fichier, ou regroupez les pages utiles dans un seul PDF plus léger.',
    undefined,
    { alreadyBytes, addedBytes, maxBytes: limits.requestMaxBytes },
  );
}
