process.env.STRIPE_KEY ??= 'sk_test_ticketing';
