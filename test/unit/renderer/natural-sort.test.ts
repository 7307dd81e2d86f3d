import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareNames, sortMembers } from '../../../src-renderer/format/natural-sort';

test('names with numbers sort by value: guest2 before guest10', () => {
  const names = ['guest10', 'guest2', 'Guest1', 'guest20', 'bob'];
  assert.deepEqual([...names].sort(compareNames), ['bob', 'Guest1', 'guest2', 'guest10', 'guest20']);
});

test('the host comes first, then everyone by name, naturally; case and accents aside', () => {
  const members = [
    { id: 'a', name: 'guest10', host: false },
    { id: 'b', name: 'Zoë', host: true },
    { id: 'c', name: 'guest2', host: false },
    { id: 'd', name: 'émile', host: false },
  ];
  assert.deepEqual(
    sortMembers(members).map((m) => m.name),
    ['Zoë', 'émile', 'guest2', 'guest10'],
  );
});
