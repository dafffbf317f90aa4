import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * The page's h1; it also sets the document title and, after an in-app navigation, takes the focus
 * so that a screen reader announces the new page. The page the browser loaded first (location key
 * "default") leaves focus alone, so that the skip links stay the first stop of the Tab key.
 */
export function PageTitle({ children, title }: { children: string; title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { key } = useLocation();
  useEffect(() => {
    document.title = `${title ?? children} · Relais`;
    if (key !== 'default') ref.current?.focus();
  }, [children, title, key]);
  return (
    <h1 ref={ref} tabIndex={-1} className="relais-page-title">
      {children}
    </h1>
  );
}
