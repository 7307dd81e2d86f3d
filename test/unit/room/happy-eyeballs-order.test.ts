import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attemptOrder, pickNext } from '../../../src-main/link/happy-eyeballs';

const v4 = (name: string) => ({ name, family: 4 as const });
const v6 = (name: string) => ({ name, family: 6 as const });
const names = (list: Array<{ name: string }>) => list.map((c) => c.name);

test('IPv6 goes first, then the families alternate, each in the host order', () => {
  assert.deepEqual(names(attemptOrder([v4('a'), v4('b'), v6('c'), v6('d')])), ['c', 'a', 'd', 'b']);
  assert.deepEqual(names(attemptOrder([v6('a'), v4('b'), v6('c'), v4('d')])), ['a', 'b', 'c', 'd']);
});

test('when one family runs out, the other continues in order', () => {
  assert.deepEqual(names(attemptOrder([v4('a'), v4('b'), v4('c'), v6('d')])), ['d', 'a', 'b', 'c']);
  assert.deepEqual(names(attemptOrder([v6('a'), v6('b'), v6('c'), v4('d')])), ['a', 'd', 'b', 'c']);
  assert.deepEqual(names(attemptOrder([v4('a'), v4('b')])), ['a', 'b']);
  assert.deepEqual(names(attemptOrder([v6('a')])), ['a']);
  assert.deepEqual(attemptOrder([]), []);
});

test('the next pick after a family alternates, whatever came before', () => {
  const queue = [v4('a'), v6('b'), v4('c')];
  assert.equal(pickNext(queue, undefined)?.name, 'b');
  assert.equal(pickNext(queue, 6)?.name, 'a');
  assert.equal(pickNext(queue, 4)?.name, 'b');
  assert.equal(pickNext([v4('a')], 4)?.name, 'a');
  assert.equal(pickNext([], 4), undefined);
});
