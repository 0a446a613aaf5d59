import Link from 'next/link';
import { getCurrentUser } from '@/lib/session';
import { LiveConnection } from './LiveConnection';
import { SignOutButton } from './SignOutButton';

/** The site header: the brand, and either the signed-in user's links and account or the way in. */
export async function Header() {
  const result = await getCurrentUser();
  const user = result.ok ? result.data : null;

  return (
    <header className="site-header">
      <div className={`container header-inner${user ? ' header-signed-in' : ''}`}>
        <Link href="/" className="brand">
          <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-2a2 2 0 0 0 0-4z" />
            <path d="M14 5v12" strokeDasharray="2 2" />
          </svg>
          Ticketing
        </Link>
        <LiveConnection userId={user?.id ?? null} />
        {user ? (
          <>
            <nav className="nav" aria-label="Main">
              <Link href="/tickets/new" className="nav-link" data-testid="nav-sell">
                Sell a ticket
              </Link>
              <Link href="/listings" className="nav-link" data-testid="nav-listings">
                My listings
              </Link>
              <Link href="/orders" className="nav-link" data-testid="nav-orders">
                My orders
              </Link>
              <Link href="/sales" className="nav-link" data-testid="nav-sales">
                My sales
              </Link>
            </nav>
            <span className="current-user" data-testid="current-user" title={`Signed in as ${user.email}`}>
              {user.email}
            </span>
            <div className="signout">
              <SignOutButton />
            </div>
          </>
        ) : (
          <nav className="nav" aria-label="Account">
            <Link href="/auth/signin" className="nav-link" data-testid="signin-link">
              Sign in
            </Link>
            <Link href="/auth/signup" className="button button-primary button-small" data-testid="signup-link">
              Sign up
            </Link>
          </nav>
        )}
      </div>
    </header>
  );
}
