// Attachments' platform layer (ADR 12): type from content, HEIC → JPEG, encrypted store, antivirus hook.
export { type AntivirusConfig, antivirusUnavailable, type ClamdConfig, createScanner, type Scanner, type ScanResult } from './antivirus.ts';
export { convertHeicToJpeg, HeicConversionError, type HeicConversionOptions } from './heic.ts';
export { type PreparedAttachment, prepareAttachment } from './prepare.ts';
export {
  checkAttachment,
  checkRequestAttachmentsTotal,
  displayFileName,
  type FileKind,
  fileKinds,
  MEGABYTE,
  SNIFF_BYTES,
  type StoredKind,
  safeFileName,
  sniffFileType,
} from './sniff.ts';
export { createFileStore, type FileStorageConfig, type FileStore, reencryptStoredFile } from './store.ts';
