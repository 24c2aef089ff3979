// The simulator's command line: defaults, and a clear refusal for each thing it cannot use.
import { describe, expect, it } from 'vitest';
import { parseSimulatorArguments, UsageError } from '../../electron/simulator/arguments';

const parse = (...args: string[]) => parseSimulatorArguments(args, () => '777');

describe('npm run simulate arguments', () => {
  it('needs only the server: 20 trades a minute until Ctrl-C, with a seed of its own', () => {
    expect(parse('--server', 'http://127.0.0.1:8080/')).toEqual({
      server: 'http://127.0.0.1:8080',
      rate: 20,
      minutes: null,
      seed: '777',
      secretFile: null,
    });
  });

  it('takes the rate, the minutes, the seed and a secret file', () => {
    expect(
      parse(
        '--server',
        'https://platform.example',
        '--rate',
        '90',
        '--minutes',
        '2.5',
        '--seed',
        '42',
        '--secret-file',
        's.txt',
      ),
    ).toEqual({
      server: 'https://platform.example',
      rate: 90,
      minutes: 2.5,
      seed: '42',
      secretFile: 's.txt',
    });
  });

  it.each([
    [[], /--server is required/],
    [['--server', 'ftp://x'], /http\(s\)/],
    [['--server', 'http://x', '--rate', '0'], /--rate takes a positive number/],
    [['--server', 'http://x', '--rate', 'ten'], /--rate takes a positive number/],
    [['--server', 'http://x', '--rate', '100000'], /--rate is at most/],
    [['--server', 'http://x', '--minutes', '-1'], /--minutes/],
    [['--server', 'http://x', '--seed', 'a b'], /--seed takes/],
    [['--server', 'http://x', '--colour'], /Unknown option/],
  ])('refuses %j', (args, message) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(message);
  });
});
