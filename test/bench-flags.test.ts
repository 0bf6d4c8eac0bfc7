import { BenchFlags, FlagError, parseFlags } from '../tools/bench/flags';
import { roundSizes } from '../tools/bench/pool';

test('bench flags default to 1,000 transfers and read --name value and --name=value', () => {
  expect(parseFlags(BenchFlags, [])).toMatchObject({ transfers: 1000, open: 0, rounds: 5 });
  expect(parseFlags(BenchFlags, ['--transfers', '250', '--open=10000'])).toMatchObject({ transfers: 250, open: 10000 });
  expect(parseFlags(BenchFlags, [])).toMatchObject({ stack: 'dev', workers: 1 });
  expect(parseFlags(BenchFlags, ['--stack', 'cluster', '--workers', '3'])).toMatchObject({
    stack: 'cluster',
    workers: 3,
  });
});

test.each([
  [['--transfers', '20000'], /--transfers: .*10000/],
  [['--transfers', 'many'], /--transfers: /],
  [['--open'], /--open needs a value/],
  [['--speed', '3'], /speed/],
  [['stray'], /unexpected argument stray/],
  [['--transfers', '3', '--rounds', '4'], /--rounds: at most one round per transfer/],
  [['--stack', 'docker'], /--stack: /],
  [['--workers', '0'], /--workers: /],
])('%j is refused with the flag named', (argv, message) => {
  expect(() => parseFlags(BenchFlags, argv)).toThrow(FlagError);
  expect(() => parseFlags(BenchFlags, argv)).toThrow(message);
});

test('--rounds splits the transfers into shares that add up, as even as whole lifecycles allow', () => {
  expect(parseFlags(BenchFlags, ['--transfers', '1000', '--rounds', '4'])).toMatchObject({
    transfers: 1000,
    rounds: 4,
  });
  expect(roundSizes(1000, 4)).toEqual([250, 250, 250, 250]);
  // Five by default, but never more rounds than transfers.
  expect(parseFlags(BenchFlags, ['--transfers', '3'])).toMatchObject({ rounds: 3 });
  expect(roundSizes(10, 3)).toEqual([3, 3, 4]);
  expect(roundSizes(7, 1)).toEqual([7]);
});
