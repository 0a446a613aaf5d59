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

/** Read per request rather than inlined at build, so a deployment can set the key without a rebuild. */
const stripePublishableKey = (): string | undefined => {
  const env = process.env;
  return env.NEXT_PUBLIC_STRIPE_KEY || undefined;
};

export default async function OrderPage({ params }: OrderPageProps) {
  const { orderId } = await params;
  const user = await requireUser(`/orders/${orderId}`);
  if (!user.ok) return <ErrorState title="This order could not be loaded" errors={user.errors} />;

  const order = await getOrder(orderId);
  if (!order.ok && order.status === 404) notFound();
  if (!order.ok && order.status === 401) {
    return <ErrorState title="This is not your order" errors={order.errors} action={{ href: '/orders', label: 'My orders' }} />;
  }
  if (!order.ok) return <ErrorState title="This order could not be loaded" errors={order.errors} action={{ href: `/orders/${orderId}`, label: 'Try again' }} />;

  return (
    <div className="narrow">
      <OrderView initialOrder={order.data} stripeKey={stripePublishableKey()} />
      <p className="back-link">
        <Link href="/orders">← My orders</Link>
      </p>
    </div>
  );
}
