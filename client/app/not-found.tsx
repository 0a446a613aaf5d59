import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card empty-state" data-testid="not-found">
      <h1>Not found</h1>
      <p className="muted">There is nothing here. The ticket or order may have been removed, or the link is wrong.</p>
      <Link href="/" className="button button-secondary">
        Back to tickets
      </Link>
    </section>
  );
}
