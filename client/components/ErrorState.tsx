import type { ApiError } from '@ticketing/common/api';

interface ErrorStateProps {
  title: string;
  errors?: ApiError[];
  /** Where the button leads; a full page load, so it doubles as "try again". */
  action?: { href: string; label: string };
}

/** What a page shows instead of its content when the data behind it could not be loaded. */
export function ErrorState({ title, errors = [], action = { href: '/', label: 'Back to tickets' } }: ErrorStateProps) {
  return (
    <section className="card empty-state" role="alert" data-testid="error-state">
      <h1>{title}</h1>
      {errors.map(({ message }) => (
        <p key={message} className="muted">
          {message}
        </p>
      ))}
      <a href={action.href} className="button button-secondary">
        {action.label}
      </a>
    </section>
  );
}
