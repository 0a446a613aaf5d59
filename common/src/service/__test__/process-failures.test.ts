import { EventEmitter } from 'events';
import { handleProcessFailures, unhandledRejectionCount } from '../process-failures';

const installed = () => {
  const events = new EventEmitter();
  const exit = jest.fn<void, [number]>();
  const lines: string[] = [];
  handleProcessFailures('probe', { events, exit, log: (line) => lines.push(line) });
  return { events, exit, lines };
};

describe('handleProcessFailures', () => {
  it('logs an uncaught exception with its stack and exits with code 1', () => {
    const { events, exit, lines } = installed();
    events.emit('uncaughtException', new Error('state unknown'));
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[probe\] uncaught exception, exiting for a clean restart: Error: state unknown\n\s+at /);
  });

  it('logs and counts an unhandled rejection and does not exit', () => {
    const { events, exit, lines } = installed();
    const before = unhandledRejectionCount();
    events.emit('unhandledRejection', new Error('nobody caught this'), Promise.resolve());
    events.emit('unhandledRejection', 'a bare reason', Promise.resolve());
    expect(exit).not.toHaveBeenCalled();
    expect(unhandledRejectionCount()).toBe(before + 2);
    expect(lines[0]).toMatch(/^\[probe\] unhandled rejection \(\d+ so far\), still serving: Error: nobody caught this/);
    expect(lines[1]).toMatch(/still serving: 'a bare reason'$/);
  });
});
