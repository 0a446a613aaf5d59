import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '@/components/Header';
import { RouteFocus } from '@/components/RouteFocus';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ticketing', template: '%s · Ticketing' },
  description: 'Buy and sell tickets to events, safely reserved while you pay.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#4f46e5',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link" data-testid="skip-link">
          Skip to content
        </a>
        <Header />
        <main id="main" className="container main" tabIndex={-1}>
          {children}
        </main>
        <RouteFocus />
        <footer className="site-footer">
          <div className="container">Ticketing — tickets are held for you while you pay.</div>
        </footer>
      </body>
    </html>
  );
}
