import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * Decodes a HEIC photo with libheif compiled to WebAssembly (heic-decode, no native build) and
 * encodes it as JPEG (jpeg-js) in a worker thread: a 12-megapixel photo takes about a second of
 * CPU that must not block the server. The worker ends after each photo, which frees libheif's
 * memory. The JPEG has no EXIF block, so the photo's GPS position is not kept.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.decodePath);
const jpeg = require(workerData.jpegPath);
(async () => {
  const images = await decode.all({ buffer: workerData.input });
  try {
    const primary = images[0];
    if (!primary) return parentPort.postMessage({ error: 'no_image' });
    if (primary.width * primary.height > workerData.maxPixels) return parentPort.postMessage({ error: 'too_many_pixels' });
    const { data, width, height } = await primary.decode();
    const out = jpeg.encode({ data, width, height }, workerData.quality).data;
    parentPort.postMessage({ jpeg: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) });
  } finally {
    images.dispose();
  }
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

export interface HeicConversionOptions {
  /** Beyond this the worker is stopped and the photo refused (default 20 s). */
  timeoutMs?: number;
  /** Refuses larger photos before decoding them (default 50 megapixels: a 48 MP iPhone photo passes). */
  maxPixels?: number;
  /** JPEG quality, 1 to 100 (default 85). */
  quality?: number;
}

export class HeicConversionError extends Error {}

// One conversion at a time: a 12 MP photo needs ~200 MB while it is decoded.
let queue: Promise<unknown> = Promise.resolve();

/** Converts a HEIC/HEIF photo to JPEG, or throws HeicConversionError saying why. */
export function convertHeicToJpeg(heic: Uint8Array, options: HeicConversionOptions = {}): Promise<Buffer> {
  const run = queue.then(() => convertInWorker(heic, options));
  queue = run.catch(() => undefined);
  return run;
}

function convertInWorker(heic: Uint8Array, { timeoutMs = 20_000, maxPixels = 50_000_000, quality = 85 }: HeicConversionOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        input: heic,
        maxPixels,
        quality,
        decodePath: require.resolve('heic-decode'),
        jpegPath: require.resolve('jpeg-js'),
      },
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new HeicConversionError(`timeout after ${timeoutMs} ms`))), timeoutMs);
    worker.on('message', (message: { jpeg?: Uint8Array; error?: string }) =>
      finish(() => (message.jpeg ? resolve(Buffer.from(message.jpeg)) : reject(new HeicConversionError(message.error ?? 'unknown error')))),
    );
    worker.on('error', (error) => finish(() => reject(new HeicConversionError(error.message))));
    worker.on('exit', (code) => finish(() => reject(new HeicConversionError(`worker exited with code ${code}`))));
  });
}
