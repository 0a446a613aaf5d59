import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The Docker image runs the traced server from .next/standalone, without node_modules.
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
