'use client';

import { useEffect } from 'react';

/** Last line of defence for anything a page did not handle itself. */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => console.error(error), [error]);
  return (
    <section className="card empty-state" role="alert" data-testid="error-state">
      <h1>Something went wrong</h1>
      <p className="muted">The page could not be shown. Please try again.</p>
      <button type="button" className="button button-secondary" onClick={retry}>
        Try again
      </button>
    </section>
  );
}
