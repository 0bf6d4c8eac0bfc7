import { BenchFlags, FlagError, parseFlags } from '../bench/flags';

test('bench flags default to 1,000 transfers and read --name value and --name=value', () => {
  expect(parseFlags(BenchFlags, [])).toMatchObject({ transfers: 1000, open: 0 });
  expect(parseFlags(BenchFlags, ['--transfers', '250', '--open=10000'])).toMatchObject({ transfers: 250, open: 10000 });
});

test.each([
  [['--transfers', '20000'], /--transfers: .*10000/],
  [['--transfers', 'many'], /--transfers: /],
  [['--open'], /--open needs a value/],
  [['--speed', '3'], /speed/],
  [['stray'], /unexpected argument stray/],
])('%j is refused with the flag named', (argv, message) => {
  expect(() => parseFlags(BenchFlags, argv)).toThrow(FlagError);
  expect(() => parseFlags(BenchFlags, argv)).toThrow(message);
});
