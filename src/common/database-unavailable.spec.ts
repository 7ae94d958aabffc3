import { databaseUnavailableCause, isDatabaseUnavailable } from './database-unavailable.js';

describe('isDatabaseUnavailable', () => {
  const err = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props);

  it('knows a database that is away, restarting or unreachable', () => {
    expect(isDatabaseUnavailable(err({ code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(err({ code: 'ECONNRESET', message: 'read ECONNRESET' }))).toBe(true);
    expect(
      isDatabaseUnavailable(err({ code: '57P01', message: 'terminating connection due to administrator command' })),
    ).toBe(true);
    expect(isDatabaseUnavailable(err({ code: '57P03', message: 'the database system is starting up' }))).toBe(true);
    expect(isDatabaseUnavailable(err({ message: 'Connection terminated unexpectedly' }))).toBe(true);
    expect(isDatabaseUnavailable(err({ message: 'timeout exceeded when trying to connect' }))).toBe(true);
    expect(isDatabaseUnavailable(err({ message: 'Query read timeout' }))).toBe(true);
    expect(isDatabaseUnavailable(err({ code: '55P03', message: 'canceling statement due to lock timeout' }))).toBe(
      true,
    );
    expect(
      isDatabaseUnavailable(
        err({ code: '25P03', message: 'terminating connection due to idle-in-transaction timeout' }),
      ),
    ).toBe(true);
  });

  it('knows a transaction whose connection broke under it', () => {
    const released = err({
      message:
        'Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.',
    });
    released.name = 'QueryRunnerProviderAlreadyReleasedError';
    expect(isDatabaseUnavailable(released)).toBe(true);
    const runner = err({ message: 'Query runner already released. Cannot run queries anymore.' });
    runner.name = 'QueryRunnerAlreadyReleasedError';
    expect(isDatabaseUnavailable(runner)).toBe(true);
  });

  it('leaves the request and the data at fault as they are', () => {
    expect(
      isDatabaseUnavailable(err({ code: '23505', message: 'duplicate key value violates unique constraint' })),
    ).toBe(false);
    expect(isDatabaseUnavailable(err({ code: '22P02', message: 'invalid input syntax for type uuid' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });

  it('finds the database error a handler failure wraps', () => {
    const lost = err({ code: 'ECONNRESET', message: 'read ECONNRESET' });
    const handler = Object.assign(new Error('handler of notify failed: read ECONNRESET'), { cause: lost });
    expect(databaseUnavailableCause(handler)).toBe(lost);
    expect(databaseUnavailableCause(lost)).toBe(lost);
    expect(
      databaseUnavailableCause(
        Object.assign(new Error('handler of notify failed: refused'), { cause: new Error('upstream refused') }),
      ),
    ).toBeNull();
    expect(databaseUnavailableCause(undefined)).toBeNull();
  });
});
