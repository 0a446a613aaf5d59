import type { Metadata } from 'next';
import { AuthPage, type AuthSearchParams } from '@/components/AuthPage';

export const metadata: Metadata = { title: 'Sign in' };

export default function SignIn({ searchParams }: AuthSearchParams) {
  return <AuthPage mode="signin" searchParams={searchParams} />;
}
