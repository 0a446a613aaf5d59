import type { Payment } from '@ticketing/common/api';
import { eventually } from '@ticketing/common/testing';

export { eventually, waitUntil } from '@ticketing/common/testing';

/** A signed-in (or anonymous) user of the API through the gateway, as a browser would be. */
export class ApiClient {
  private cookie = '';
  /** Headers sent with every request besides the cookie (a W3C traceparent, say). */
  private readonly extraHeaders: Record<string, string> = {};

  constructor(private readonly baseUrl: string) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...this.extraHeaders,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length > 0) this.cookie = cookies.map((cookie) => cookie.split(';')[0]).join('; ');
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  /** The Cookie header this client sends (for a WebSocket of the same user). */
  get cookieHeader(): string {
    return this.cookie;
  }

  /** A client that sends this session cookie (one signed by the test with the system's JWT_KEY, say). */
  static withCookie(baseUrl: string, cookie: string): ApiClient {
    const client = new ApiClient(baseUrl);
    client.cookie = cookie;
    return client;
  }

  /** Signs this client in as `other` is, to call another address (a second replica) as the same user. */
  withCookieOf(other: ApiClient): this {
    this.cookie = other.cookie;
    return this;
  }

  /** Sends `value` as header `name` with every request from now on. */
  withHeader(name: string, value: string): this {
    this.extraHeaders[name] = value;
    return this;
  }

  get = <T = unknown>(path: string) => this.request<T>('GET', path);
  post = <T = unknown>(path: string, body: unknown) => this.request<T>('POST', path, body);
  put = <T = unknown>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  delete = <T = unknown>(path: string) => this.request<T>('DELETE', path);

  /** Pays (202, charged by a worker) once the payments service knows the order (its replica is filled from order:created). */
  payWhenKnown(orderId: string, token = 'tok_visa') {
    return eventually(
      async () => {
        const res = await this.post<Payment>('/api/payments', { orderId, token });
        return res.status === 404 ? undefined : res;
      },
      20_000,
      'payments to know the order',
    );
  }

  static async signUp(baseUrl: string, email: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const res = await client.post('/api/users/signup', { email, password: 'password123' });
    if (res.status !== 201) throw new Error(`signup ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return client;
  }
}

let counter = 0;
export const uniqueEmail = (name: string) => `${name}-${Date.now()}-${counter++}@example.com`;
