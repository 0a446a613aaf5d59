/**
 * A listener's verdict that a message cannot be handled as it is: it names a record this service
 * never heard of, it is malformed, or it arrived before the one it builds on. Retrying cannot fix it
 * unless another message comes first, so the Listener parks it after EVENT_MAX_DELIVERIES such
 * verdicts. Any other error (a database, the broker or Redis down) is retried for as long as it lasts.
 */
export class InvalidMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
