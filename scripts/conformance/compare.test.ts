// How two runs of a conformance program are compared: lanes keep their order,
// lanes interleave freely, process ids and ports do not count.
import assert from 'node:assert/strict';
import test from 'node:test';
import { firstDifference, normalise } from './compare';

test('conformance compare: lanes may interleave in any way', () => {
  const node = ['primary: fork 1', 'worker 1: hello', 'primary: online 1', 'exit: 0'];
  const ours = ['worker 1: hello', 'primary: fork 1', 'primary: online 1', 'exit: 0'];
  assert.equal(firstDifference(node, ours), undefined);
});

test('conformance compare: within a lane the order must hold', () => {
  const node = ['primary: fork 1', 'primary: online 1'];
  assert.equal(firstDifference(node, ['primary: online 1', 'primary: fork 1']), '"primary: online 1" where node:cluster has "primary: fork 1"');
});

test('conformance compare: a missing line, an extra line, another exit status', () => {
  assert.equal(firstDifference(['primary: a', 'primary: b'], ['primary: a']), 'missing "primary: b"');
  assert.equal(firstDifference(['primary: a'], ['primary: a', 'primary: b']), 'extra "primary: b"');
  assert.equal(firstDifference(['exit: 0'], ['exit: timeout']), '"exit: timeout" where node:cluster has "exit: 0"');
});

test('conformance compare: process ids and ports are normalised, small numbers are not', () => {
  assert.equal(normalise('primary: worker 2 pid 48213 on port 38411'), 'primary: worker 2 pid N on port N');
  assert.equal(firstDifference(['primary: port 40001'], ['primary: port 51234']), undefined);
  assert.notEqual(firstDifference(['primary: exit 1'], ['primary: exit 3']), undefined);
});
