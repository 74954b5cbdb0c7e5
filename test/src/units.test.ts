// Quantity parsing: hand-checked conversions per kind, the byte/bit prefixes people actually
// write, and the errors a user sees for a wrong unit, a bad sign, or anything that is not a quantity.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFraction, parsePerMinute, parseQuantity, UnitError, type QuantityKind } from '../../src/sim/units.js';

/** [text, kind, expected number] worked out by hand. */
const CONVERSIONS: [string, QuantityKind, number][] = [
  // time → ms
  ['4.2 ms', 'time', 4.2],
  ['2 s', 'time', 2000],
  ['2.5 min', 'time', 150_000],
  ['1 h', 'time', 3_600_000],
  ['250 us', 'time', 0.25],
  ['250 µs', 'time', 0.25],
  ['1.5e-3 s', 'time', 1.5],
  ['0 ms', 'time', 0],
  ['5ms', 'time', 5],
  // data → bytes
  ['8 MB', 'data', 8e6],
  ['8 MiB', 'data', 8 * 2 ** 20],
  ['150 kB', 'data', 150_000],
  ['1 KiB', 'data', 1024],
  ['1 GB', 'data', 1e9],
  ['16 b', 'data', 2],
  ['16 bit', 'data', 2],
  ['1 Mbit', 'data', 125_000],
  ['3 bytes', 'data', 3],
  // bandwidth → bits/s
  ['1 Gb/s', 'bandwidth', 1e9],
  ['1 Gbit/s', 'bandwidth', 1e9],
  ['100 Mbit/s', 'bandwidth', 1e8],
  ['100 Mb/s', 'bandwidth', 1e8],
  ['10 MB/s', 'bandwidth', 8e7],
  ['1 Gbps', 'bandwidth', 1e9],
  ['54 Mbps', 'bandwidth', 54e6],
  ['1 Gibit/s', 'bandwidth', 2 ** 30],
  ['1 kb/ms', 'bandwidth', 1e6],
  // power → W, energy → J
  ['15 W', 'power', 15],
  ['500 mW', 'power', 0.5],
  ['3 J', 'energy', 3],
  ['1 Wh', 'energy', 3600],
  ['2 kJ', 'energy', 2000],
  // frequency → Hz
  ['30 Hz', 'frequency', 30],
  ['30 1/s', 'frequency', 30],
  ['60 1/min', 'frequency', 1],
  ['2 kHz', 'frequency', 2000],
  ['120 min^-1', 'frequency', 2],
  // rate-or-time → ms per inference
  ['4.2 ms', 'rate-or-time', 4.2],
  ['824 Hz', 'rate-or-time', 1000 / 824],
  ['250 1/s', 'rate-or-time', 4],
  ['0.5 s', 'rate-or-time', 500],
];

describe('parseQuantity', () => {
  for (const [text, kind, expected] of CONVERSIONS) {
    it(`reads ${JSON.stringify(text)} as a ${kind}: ${expected}`, () => {
      const value = parseQuantity(text, kind);
      assert.ok(Math.abs(value - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${text} → ${value}, expected ${expected}`);
    });
  }

  it('gives exact numbers for the common cases', () => {
    assert.equal(parseQuantity('4.2 ms', 'time'), 4.2);
    assert.equal(parseQuantity('8 MB', 'data'), 8_000_000);
    assert.equal(parseQuantity('1 Gb/s', 'bandwidth'), 1_000_000_000);
    assert.equal(parseQuantity('30 Hz', 'frequency'), 30);
  });

  it('refuses a quantity of another kind, naming what it is', () => {
    assert.throws(() => parseQuantity('4.2 W', 'time'), (e: unknown) => {
      assert.ok(e instanceof UnitError);
      assert.equal(e.message, 'expected a time such as "4.2 ms", got "4.2 W" (a power)');
      assert.equal(e.kind, 'time');
      assert.equal(e.value, '4.2 W');
      return true;
    });
    assert.throws(() => parseQuantity('8 MB', 'bandwidth'), /expected a bandwidth .* got "8 MB" \(a data size\)/);
    assert.throws(() => parseQuantity('1 Gb/s', 'data'), /expected a size .* got "1 Gb\/s" \(a bandwidth\)/);
    assert.throws(() => parseQuantity('15 W', 'rate-or-time'), /expected a time such as "4.2 ms" or a rate such as "824 Hz", got "15 W" \(a power\)/);
    assert.throws(() => parseQuantity('3 kg', 'energy'), /got "3 kg" \(a mass\)/);
    assert.throws(() => parseQuantity('3 m/s', 'time'), /got "3 m\/s" \(not a time\)/);
  });

  it('refuses "KB", which means 1000 or 1024 bytes depending on who wrote it', () => {
    assert.throws(() => parseQuantity('150 KB', 'data'), /"KB" is ambiguous: write "kB" for 1000 bytes or "KiB" for 1024/);
    assert.throws(() => parseQuantity('1 KB/s', 'bandwidth'), /"KB" is ambiguous/);
  });

  it('refuses unknown units, bare numbers and non-strings', () => {
    assert.throws(() => parseQuantity('3 parsecs/fortnight', 'time'), /unknown unit/);
    assert.throws(() => parseQuantity('3 mb', 'data'), /unknown unit "mb"/);
    assert.throws(() => parseQuantity('3', 'time'), /got "3" \(no unit\)/);
    assert.throws(() => parseQuantity(3, 'time'), /got 3 \(a number without a unit\)/);
    assert.throws(() => parseQuantity(undefined, 'time'), /got nothing/);
    assert.throws(() => parseQuantity(null, 'time'), /got null/);
    assert.throws(() => parseQuantity('', 'time'), UnitError);
    assert.throws(() => parseQuantity('ms', 'time'), UnitError);
    // Not 60 per minute: "1/" must stand apart from the number.
    assert.throws(() => parseQuantity('601/min', 'frequency'), /not a number followed by a unit/);
  });

  it('never evaluates expressions: only a number followed by unit names is read', () => {
    const attempts = [
      'import("fs")',
      '1 ms + 1 s',
      'sqrt(4) ms',
      '2 * 3 ms',
      '1e3 ms; 2',
      'evaluate("1+1") ms',
      '1 ms = 2',
      'f(x) = x',
      '[1, 2] ms',
      '1 ms \n 2 s',
      '2 ms ^ (1)',
      '"4" ms',
    ];
    for (const text of attempts) {
      assert.throws(() => parseQuantity(text, 'time'), UnitError, `should refuse ${JSON.stringify(text)}`);
    }
  });

  it('refuses negative values unless the caller allows them, and zero where it must be positive', () => {
    assert.throws(() => parseQuantity('-3 ms', 'time'), /got "-3 ms" \(must be of at least 0\)/);
    assert.equal(parseQuantity('-3 ms', 'time', { sign: 'any' }), -3);
    assert.equal(parseQuantity('0 W', 'power'), 0);
    assert.throws(() => parseQuantity('0 W', 'power', { sign: 'positive' }), /expected a power such as "15 W" \(greater than 0\), got "0 W" \(must be greater than 0\)/);
    assert.throws(() => parseQuantity('0 Hz', 'rate-or-time'), /must be greater than 0/);
    assert.throws(() => parseQuantity('-2 ms', 'rate-or-time', { sign: 'any' }), /must be greater than 0/);
  });

  it('refuses values that overflow to infinity', () => {
    assert.throws(() => parseQuantity('1e400 ms', 'time'), /not finite/);
  });
});

describe('parsePerMinute', () => {
  it('takes a number as per minute already, and a frequency string in any unit', () => {
    assert.equal(parsePerMinute(60), 60);
    assert.equal(parsePerMinute('60 1/min'), 60);
    assert.equal(parsePerMinute('1 Hz'), 60);
    assert.equal(parsePerMinute('3600 1/h'), 60);
    assert.equal(parsePerMinute(0), 0);
  });

  it('refuses negative or non-finite rates and other quantities', () => {
    assert.throws(() => parsePerMinute(-1), /expected a rate per minute of at least 0 such as 60 or "60 1\/min", got -1/);
    assert.throws(() => parsePerMinute(Infinity), UnitError);
    assert.throws(() => parsePerMinute('5 ms'), /expected a rate per minute such as 60 or "60 1\/min", got "5 ms" \(a time\)/);
  });
});

describe('parseFraction', () => {
  it('reads a fraction or a percentage', () => {
    assert.equal(parseFraction(0.7613), 0.7613);
    assert.equal(parseFraction('76.13 %'), 0.7613);
    assert.equal(parseFraction('76.13%'), 0.7613);
    assert.equal(parseFraction('100 %'), 1);
    assert.equal(parseFraction(0), 0);
  });

  it('refuses values outside [0, 1] and anything else', () => {
    assert.throws(() => parseFraction(76.13), /expected a fraction in \[0, 1\] such as 0.7613, or a percentage such as "76.13 %", got 76.13 \(outside 0 … 1\)/);
    assert.throws(() => parseFraction('120 %'), /got "120 %" \(outside 0 … 100 %\)/);
    assert.throws(() => parseFraction('0.76'), /got "0.76"/);
    assert.throws(() => parseFraction('76 percent'), UnitError);
    assert.throws(() => parseFraction(NaN), UnitError);
    assert.throws(() => parseFraction(null), UnitError);
  });
});
