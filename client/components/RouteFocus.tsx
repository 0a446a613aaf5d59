'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';

/** Where focus goes on a new page: its heading, else the main region, so that it never drops to <body>. */
export const focusPageStart = () => {
  const target = document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus();
};

/** After each client-side page change (not the first load, where the browser starts at the top), focus the page's start. */
export function RouteFocus() {
  const pathname = usePathname();
  const previous = useRef(pathname);
  useEffect(() => {
    if (pathname === previous.current) return;
    previous.current = pathname;
    focusPageStart();
  }, [pathname]);
  return null;
}
