import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ErrorState } from '@/components/ErrorState';
import { OrderView } from '@/components/OrderView';
import { getOrder } from '@/lib/queries';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Order' };

interface OrderPageProps {
  params: Promise<{ orderId: string }>;
}

/**
 * Not NEXT_PUBLIC_: Next.js inlines those at build time, while this page renders per request and reads the key
 * then, so a deployment sets it without a rebuild. The card form gets it as a prop.
 */
const stripePublishableKey = (): string | undefined => process.env.STRIPE_PUBLISHABLE_KEY || undefined;

export default async function OrderPage({ params }: OrderPageProps) {
  const { orderId } = await params;
  const user = await requireUser(`/orders/${orderId}`);
  if (!user.ok) return <ErrorState title="This order could not be loaded" errors={user.errors} />;

  const order = await getOrder(orderId);
  if (!order.ok && order.status === 404) notFound();
  if (!order.ok && order.status === 401) {
    return <ErrorState title="This is not your order" errors={order.errors} action={{ href: '/orders', label: 'My orders' }} />;
  }
  if (!order.ok)
    return (
      <ErrorState
        title="This order could not be loaded"
        errors={order.errors}
        action={{ href: `/orders/${orderId}`, label: 'Try again' }}
      />
    );

  return (
    <div className="narrow">
      <OrderView initialOrder={order.data} stripeKey={stripePublishableKey()} />
      <p className="back-link">
        <Link href="/orders">← My orders</Link>
      </p>
    </div>
  );
}
