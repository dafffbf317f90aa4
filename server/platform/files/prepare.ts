import { createHash } from 'node:crypto';
import { convertHeicToJpeg, type HeicConversionOptions } from './heic.ts';
import { checkAttachment, displayFileName, heicRefused, MEGABYTE, SNIFF_BYTES, type StoredKind, sniffFileType } from './sniff.ts';

export interface PreparedAttachment {
  /** The bytes to store: the upload itself, or the JPEG made from a HEIC photo. */
  data: Buffer;
  kind: StoredKind;
  contentType: string;
  extension: string;
  safeFileName: string;
  sizeBytes: number;
  /** Hex SHA-256 of `data`. */
  sha256: string;
  /** True when a HEIC photo was converted to JPEG. */
  converted: boolean;
}

/**
 * Makes an upload storable: a HEIC photo is converted to JPEG (or refused with what to do), then
 * the size and the type read from the content are checked (checkAttachment's AppErrors).
 */
export async function prepareAttachment(
  bytes: Uint8Array,
  fileName: string,
  limits: { maxBytes: number } = { maxBytes: 10 * MEGABYTE },
  heic: HeicConversionOptions = {},
): Promise<PreparedAttachment> {
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let converted = false;
  if (bytes.length <= limits.maxBytes && sniffFileType(bytes.subarray(0, SNIFF_BYTES)).kind === 'heic') {
    try {
      data = await convertHeicToJpeg(bytes, heic);
      converted = true;
    } catch {
      throw heicRefused(displayFileName(fileName));
    }
  }
  const checked = checkAttachment(data, fileName, limits);
  return {
    data,
    ...checked,
    sizeBytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    converted,
  };
}
