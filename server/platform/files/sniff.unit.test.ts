import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { convertHeicToJpeg, HeicConversionError } from './heic.ts';
import { prepareAttachment } from './prepare.ts';
import { checkAttachment, checkRequestAttachmentsTotal, MEGABYTE, safeFileName, sniffFileType } from './sniff.ts';

/** A minimal valid one-page PDF, with a correct cross-reference table. */
function minimalPdf(text = 'Relais'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A valid 2×1 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function minimalPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const pixels = Buffer.from([0, 255, 0, 0, 0, 0, 255]); // filter byte, red, blue
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real 8×8 JPEG. */
function minimalJpeg(): Buffer {
  return jpeg.encode({ data: Buffer.alloc(8 * 8 * 4, 0x80), width: 8, height: 8 }, 80).data;
}

/** The first bytes of a HEIC file as an iPhone writes them (ftyp box, major brand heic). */
const heicHeader = (major = 'heic', compatible = ['mif1', 'heic']) => {
  const box = Buffer.alloc(16 + compatible.length * 4);
  box.writeUInt32BE(box.length);
  box.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((brand, i) => {
    box.write(brand, 16 + i * 4, 'latin1');
  });
  return Buffer.concat([box, Buffer.alloc(64)]);
};

/** A Windows executable: MZ header, PE stub. */
const windowsExe = () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120), Buffer.from('PE\0\0')]);

const heicPhoto = readFileSync(new URL('./fixtures/photo-iphone.heic', import.meta.url));

function appErrorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('no AppError thrown');
}

async function asyncAppErrorOf(run: () => Promise<unknown>): Promise<AppError> {
  const error = await run().then(
    () => new Error('no AppError thrown'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('sniffFileType', () => {
  it('recognises PDF, JPEG and PNG from their first bytes', () => {
    expect(sniffFileType(minimalPdf())).toEqual({ kind: 'pdf', contentType: 'application/pdf' });
    expect(sniffFileType(minimalJpeg())).toEqual({ kind: 'jpeg', contentType: 'image/jpeg' });
    expect(sniffFileType(minimalPng())).toEqual({ kind: 'png', contentType: 'image/png' });
  });

  it('recognises HEIC and HEIF photos by their ftyp brands, not AVIF images which share the container', () => {
    for (const major of ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1']) {
      expect(sniffFileType(heicHeader(major)).kind, major).toBe('heic');
    }
    expect(sniffFileType(heicHeader('isom', ['heic'])).kind).toBe('heic');
    expect(sniffFileType(heicPhoto)).toEqual({ kind: 'heic', contentType: 'image/heic' });
    expect(sniffFileType(heicHeader('avif', ['mif1', 'miaf'])).kind).toBeNull();
    expect(sniffFileType(heicHeader('isom', ['mp41'])).kind).toBeNull(); // an MP4 video
  });

  it('knows nothing of other content, however short', () => {
    for (const bytes of [windowsExe(), Buffer.from('Bonjour'), Buffer.alloc(0), Buffer.from([0xff, 0xd8]), Buffer.from(' %PDF-1.4')]) {
      expect(sniffFileType(bytes)).toEqual({ kind: null, contentType: 'application/octet-stream' });
    }
  });
});

describe('checkAttachment', () => {
  it('gives the real type and a name with the matching extension', () => {
    expect(checkAttachment(minimalPdf(), 'Avis d’imposition 2026.pdf')).toEqual({
      kind: 'pdf',
      contentType: 'application/pdf',
      extension: 'pdf',
      safeFileName: 'Avis d’imposition 2026.pdf',
    });
    expect(checkAttachment(minimalPng(), 'capture').safeFileName).toBe('capture.png');
    expect(checkAttachment(minimalJpeg(), 'photo.JPEG')).toMatchObject({ contentType: 'image/jpeg', safeFileName: 'photo.jpg' });
  });

  it('trusts the content over the name: a PDF named .jpg is stored as a PDF', () => {
    expect(checkAttachment(minimalPdf(), 'justificatif.jpg')).toMatchObject({ kind: 'pdf', safeFileName: 'justificatif.pdf' });
  });

  it('refuses a program renamed .pdf with 415 and what to do instead', () => {
    const error = appErrorOf(() => checkAttachment(windowsExe(), 'facture.pdf'));
    expect(error).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED', status: 415 });
    expect(error.message).toContain('« facture.pdf »');
    expect(error.message).toContain('Enregistrez le document en PDF');
  });

  it('refuses an empty file with 422 and a file over the limit with 413 and both sizes', () => {
    expect(appErrorOf(() => checkAttachment(Buffer.alloc(0), 'vide.pdf'))).toMatchObject({ code: 'ATTACHMENT_EMPTY', status: 422 });
    const big = Buffer.concat([minimalPdf(), Buffer.alloc(10 * MEGABYTE)]);
    const error = appErrorOf(() => checkAttachment(big, 'scan.pdf', { maxBytes: 10 * MEGABYTE }));
    expect(error).toMatchObject({
      code: 'ATTACHMENT_TOO_LARGE',
      status: 413,
      extensions: { sizeBytes: big.length, maxBytes: 10 * MEGABYTE },
    });
    expect(error.message).toContain('la limite est de 10 Mo par fichier');
    expect(checkAttachment(big, 'scan.pdf', { maxBytes: big.length }).kind).toBe('pdf');
  });

  it('refuses a HEIC photo as it is, telling the agent how to send a JPEG', () => {
    const error = appErrorOf(() => checkAttachment(heicHeader(), 'IMG_0042.HEIC'));
    expect(error).toMatchObject({ code: 'ATTACHMENT_HEIC_REFUSED', status: 415 });
    expect(error.message).toMatch(/^Photo au format HEIC \(iPhone\)/);
    expect(error.message).toContain('« Le plus compatible »');
  });
});

describe('checkRequestAttachmentsTotal', () => {
  it('accepts up to the total of the request and refuses beyond with 413', () => {
    const limits = { requestMaxBytes: 40 * MEGABYTE };
    expect(() => checkRequestAttachmentsTotal(30 * MEGABYTE, 10 * MEGABYTE, limits)).not.toThrow();
    const error = appErrorOf(() => checkRequestAttachmentsTotal(30 * MEGABYTE, 10 * MEGABYTE + 1, limits));
    expect(error).toMatchObject({ code: 'ATTACHMENTS_TOTAL_TOO_LARGE', status: 413 });
    expect(error.message).toContain('40 Mo au total (déjà 30 Mo');
  });
});

describe('safeFileName', () => {
  it('keeps the name without its folders, with accents composed, and forces the extension', () => {
    expect(safeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(safeFileName('C:\\Users\\mairie\\Relevé CAF.PDF', 'pdf')).toBe('Relevé CAF.pdf');
    expect(safeFileName('Attestation d’hébergement'.normalize('NFD'), 'pdf')).toBe('Attestation d’hébergement.pdf');
    expect(safeFileName('facture.2024', 'pdf')).toBe('facture.2024.pdf');
    expect(safeFileName('photo.exe', 'jpg')).toBe('photo.jpg');
  });

  it('removes control and bidirectional characters that could disguise an extension', () => {
    expect(safeFileName('facture\u202Egpj.exe', 'pdf')).toBe('facturegpj.pdf');
    expect(safeFileName('a\u0000b\nc\td.pdf', 'pdf')).toBe('ab c d.pdf');
    expect(safeFileName('re<ç>u: "mai"?*.pdf', 'pdf')).toBe('re_ç_u_ _mai___.pdf');
  });

  it('names what has no name, escapes reserved Windows names and cuts long names', () => {
    expect(safeFileName('', 'png')).toBe('piece-jointe.png');
    expect(safeFileName('  ...  ', 'png')).toBe('piece-jointe.png');
    expect(safeFileName('CON.pdf', 'pdf')).toBe('_CON.pdf');
    expect(safeFileName(`${'é'.repeat(300)}.pdf`, 'pdf')).toBe(`${'é'.repeat(100)}.pdf`);
  });

  it('always gives a bare name ending with the extension, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom('pdf', 'jpg', 'png'), (name, extension) => {
        const safe = safeFileName(name, extension);
        expect(safe.endsWith(`.${extension}`)).toBe(true);
        expect(safe).not.toMatch(/[/\\<>:"|?*\p{Cc}\p{Cf}]/u);
        expect(safe).not.toMatch(/^[\s.]/u);
        expect(Array.from(safe).length).toBeLessThanOrEqual(101 + 1 + extension.length);
      }),
    );
  });
});

describe('prepareAttachment', () => {
  it('stores PDF, JPEG and PNG as they are, with their SHA-256', async () => {
    const pdf = minimalPdf();
    const prepared = await prepareAttachment(pdf, 'courrier.pdf');
    expect(prepared).toMatchObject({ kind: 'pdf', safeFileName: 'courrier.pdf', sizeBytes: pdf.length, converted: false });
    expect(prepared.data.equals(pdf)).toBe(true);
    expect(prepared.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('converts an iPhone HEIC photo to a JPEG that shows the same picture', async () => {
    const prepared = await prepareAttachment(heicPhoto, 'IMG_0042.HEIC');
    expect(prepared).toMatchObject({ kind: 'jpeg', contentType: 'image/jpeg', safeFileName: 'IMG_0042.jpg', converted: true });
    const image = jpeg.decode(prepared.data);
    expect([image.width, image.height]).toEqual([96, 64]);
    const pixel = (x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3));
    const [r1, , b1] = pixel(10, 32);
    const [r2, , b2] = pixel(85, 32);
    expect(r1! - b1!).toBeGreaterThan(120); // the left half is red
    expect(b2! - r2!).toBeGreaterThan(120); // the right half is blue
  });

  it('refuses a HEIC file it cannot decode, with the iPhone setting to change', async () => {
    const error = await asyncAppErrorOf(() => prepareAttachment(heicHeader(), 'IMG_0043.heic'));
    expect(error).toMatchObject({ code: 'ATTACHMENT_HEIC_REFUSED', status: 415 });
    expect(error.message).toContain('« IMG_0043.heic » : elle n’a pas pu être convertie');
    expect(error.message).toContain('« Le plus compatible »');
  });

  it('checks the size before converting, and the type whatever the name', async () => {
    const tooBig = Buffer.concat([heicPhoto, Buffer.alloc(2048)]);
    expect(await asyncAppErrorOf(() => prepareAttachment(tooBig, 'IMG.heic', { maxBytes: 1024 }))).toMatchObject({
      code: 'ATTACHMENT_TOO_LARGE',
    });
    expect(await asyncAppErrorOf(() => prepareAttachment(windowsExe(), 'photo.jpg'))).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED' });
  });
});

describe('convertHeicToJpeg', () => {
  it('refuses a photo larger than the pixel limit before decoding it', async () => {
    await expect(convertHeicToJpeg(heicPhoto, { maxPixels: 96 * 64 - 1 })).rejects.toThrow(new HeicConversionError('too_many_pixels'));
  });

  it('stops a conversion that takes too long', async () => {
    await expect(convertHeicToJpeg(heicPhoto, { timeoutMs: 1 })).rejects.toThrow(/timeout after 1 ms/);
    // The queue goes on after a failure.
    expect(sniffFileType(await convertHeicToJpeg(heicPhoto)).kind).toBe('jpeg');
  });
});
