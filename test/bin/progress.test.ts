// Progress off a terminal: plain lines at most every few seconds, the last one always, nothing
// when silent; the rate counts from the first update, so start-up is not counted as work.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Progress, formatSeconds } from '../../bin/progress.js';

function sink(): { stream: NodeJS.WriteStream; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

test('plain progress prints the first update, then at most one line per period, and always the last', () => {
  const { stream, lines } = sink();
  const p = new Progress({ label: 'eval', total: 4, unit: 'episodes', stream, plainEverySeconds: 3600 });
  p.update(1, 'return 1.0');
  p.update(2);
  p.update(3);
  assert.deepEqual(lines(), ['eval  25% | 1/4 episodes | - episodes/s | return 1.0']);
  p.update(4, 'return 4.0');
  assert.equal(lines().length, 2);
  assert.match(lines()[1], /^eval 100% \| 4\/4 episodes \| [\d.]+ episodes\/s \| return 4\.0$/);
  p.stop();
  p.stop();
  assert.equal(lines().length, 2, 'stop after the last line prints nothing more');
});

test('stop prints the last state when the period swallowed it; notes go through; silent prints nothing', () => {
  const { stream, lines } = sink();
  const p = new Progress({ label: 'bench', total: 10, unit: 'cases', stream, plainEverySeconds: 3600 });
  p.update(1);
  p.note('bench: env suite done');
  p.update(6, 'edge');
  p.stop();
  assert.equal(lines().length, 3);
  assert.equal(lines()[1], 'bench: env suite done');
  assert.match(lines()[2], /^bench  60% \| 6\/10 cases \| [\d.]+ cases\/s \| ETA \d+ s \| edge$/);
  const quiet = sink();
  const q = new Progress({ label: 'x', total: 2, unit: 'steps', stream: quiet.stream, silent: true });
  q.update(1);
  q.note('hidden');
  q.update(2);
  q.stop();
  assert.deepEqual(quiet.lines(), []);
});

test('durations read as a person would say them', () => {
  assert.equal(formatSeconds(0.4), '0 s');
  assert.equal(formatSeconds(59.6), '1 min 00 s');
  assert.equal(formatSeconds(75), '1 min 15 s');
  assert.equal(formatSeconds(4000), '1 h 06 min');
});

test('stages of unequal length show the time elapsed, not a rate', () => {
  const { stream, lines } = sink();
  const p = new Progress({ label: 'check', total: 2, unit: 'checks', stream, plainEverySeconds: 0, rate: false });
  p.update(0, 'spaces');
  p.update(2, 'done');
  p.stop();
  assert.deepEqual(lines(), ['check 0/2 checks | 0 s | spaces', 'check 2/2 checks | 0 s | done']);
});
