'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { User } from '@ticketing/common/api';
import { safeNext } from '@/lib/format';
import { useRequest } from '@/lib/use-request';
import { Field } from './Field';
import { FormErrors } from './FormErrors';

type Mode = 'signup' | 'signin';

const COPY: Record<
  Mode,
  { title: string; lead: string; submit: string; pending: string; switchText: string; switchLink: string; switchHref: string }
> = {
  signup: {
    title: 'Create your account',
    lead: 'Sell tickets you cannot use, and buy the ones you want.',
    submit: 'Sign up',
    pending: 'Creating account…',
    switchText: 'Already have an account?',
    switchLink: 'Sign in',
    switchHref: '/auth/signin',
  },
  signin: {
    title: 'Welcome back',
    lead: 'Sign in to buy tickets and manage your orders.',
    submit: 'Sign in',
    pending: 'Signing in…',
    switchText: 'New here?',
    switchLink: 'Create an account',
    switchHref: '/auth/signup',
  },
};

const FIELDS = ['email', 'password'] as const;
// auth's answer to a sign-up whose email has an account already.
const EMAIL_IN_USE = 'Email in use';

/** A link to `href` that still leads back to `returnTo` afterwards. */
const withReturn = (href: string, returnTo: string) => (returnTo === '/' ? href : `${href}?next=${encodeURIComponent(returnTo)}`);

/** The sign-up and sign-in forms: same inputs, different endpoint and words. */
export function AuthForm({ mode, returnTo }: { mode: Mode; returnTo: string }) {
  const router = useRouter();
  const copy = COPY[mode];
  const { send, pending, errors } = useRequest<User>('POST', `/api/users/${mode}`, FIELDS);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send({ email, password });
    if (!result.ok) return;
    // returnTo was checked on the server already; checking again here keeps this navigation safe on its own.
    router.push(safeNext(returnTo, window.location.origin));
    router.refresh();
  }

  return (
    <section className="card form-card">
      <h1>{copy.title}</h1>
      <p className="muted">{copy.lead}</p>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          testId={`${mode}-email`}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.field('email')}
          required
        />
        {mode === 'signup' && errors.field('email') === EMAIL_IN_USE && (
          <p className="field-hint" data-testid="email-in-use-signin">
            <Link href={withReturn(COPY.signup.switchHref, returnTo)}>Sign in with this email instead</Link>
          </p>
        )}
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
          testId={`${mode}-password`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.field('password')}
          hint={mode === 'signup' ? '8 to 128 characters.' : undefined}
          required
        />
        <FormErrors messages={errors.general} retryAt={errors.retryAt} />
        <button type="submit" className="button button-primary button-block" disabled={pending} data-testid={`${mode}-submit`}>
          {pending ? copy.pending : copy.submit}
        </button>
      </form>
      <p className="form-switch">
        {copy.switchText} <Link href={withReturn(copy.switchHref, returnTo)}>{copy.switchLink}</Link>
      </p>
    </section>
  );
}
