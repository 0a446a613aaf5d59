import type { Metadata } from 'next';
import { AuthPage, type AuthSearchParams } from '@/components/AuthPage';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignUp({ searchParams }: AuthSearchParams) {
  return <AuthPage mode="signup" searchParams={searchParams} />;
}
