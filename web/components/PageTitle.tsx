import { useEffect, useRef } from 'react';

let firstPage = true;

/**
 * The page's h1; it also sets the document title and, after an in-app navigation, takes the focus
 * so that a screen reader announces the new page (the first page load leaves focus alone).
 */
export function PageTitle({ children, title }: { children: string; title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title ?? children} · Relais`;
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, [children, title]);
  return (
    <h1 ref={ref} tabIndex={-1} className="relais-page-title">
      {children}
    </h1>
  );
}
