import type { InputHTMLAttributes } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  testId: string;
  error?: string;
  hint?: string;
}

/** A labelled input with its own error line, wired up for screen readers. */
export function Field({ id, label, testId, error, hint, ...input }: FieldProps) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} data-testid={testId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && !error && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`${testId}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A Field for a whole number between `min` and `max`, with the numeric keyboard on phones. */
export function CountField(props: FieldProps & { min: number; max: number }) {
  return <Field type="number" inputMode="numeric" step={1} {...props} />;
}
