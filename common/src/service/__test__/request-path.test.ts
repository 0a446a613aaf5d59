import { requestPath } from '../request-path';

describe('requestPath', () => {
  it.each([
    ['/api/live', '/api/live'],
    ['/api/queue/x/ws?token=1', '/api/queue/x/ws'],
    ['http://example.com/api/live', '/api/live'],
    ['/api/tickets/%E0%A4%A', '/api/tickets/%E0%A4%A'],
    ['*', '/*'],
  ])('reads the path of %s', (url, path) => {
    expect(requestPath({ url })).toBe(path);
  });

  it.each(['//[', '//[@/../api/live', 'http://[::1', 'http://%zz/api/tickets'])('answers undefined for %s, which does not parse', (url) => {
    expect(requestPath({ url })).toBeUndefined();
  });
});
