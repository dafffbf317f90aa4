/** A QR code drawn by the server (SVG of our own API, no user content), with its text alternative. */
export function QrCode({ svg, label, className }: { svg: string; label: string; className?: string }) {
  return (
    <div
      className={`relais-qr ${className ?? ''}`}
      role="img"
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG comes from our server's QR encoder, never from a user
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
