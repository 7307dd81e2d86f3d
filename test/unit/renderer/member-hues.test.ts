import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HUES, assignHues, hueOfName, preferredHueIndex } from '../../../src-renderer/format/member-hues';

const member = (id: string, name: string) => ({ id, name });

test("a name's hue is the same after a reconnect gives its member a new id", () => {
  const before = assignHues([member('a1', 'Ana'), member('b1', 'Bo')]);
  const after = assignHues([member('a2', 'Ana'), member('b7', 'Bo')]);
  assert.equal(before.hueOf(member('a1', 'Ana')), after.hueOf(member('a2', 'Ana')));
  assert.equal(before.hueOf(member('b1', 'Bo')), after.hueOf(member('b7', 'Bo')));
  assert.equal(hueOfName('  ana '), hueOfName('Ana'), 'case and surrounding spaces aside');
});

test('the people present get distinct hues while the palette lasts; the first come keep theirs', () => {
  // Names that prefer the same palette slot.
  const names: string[] = [];
  for (let i = 0; names.length < 3; i++) if (preferredHueIndex(`guest${i}`) === preferredHueIndex('guest0')) names.push(`guest${i}`);
  const present = names.map((name, i) => member(`id${i}`, name));
  const hues = assignHues(present);
  const given = present.map((m) => hues.hueOf(m));
  assert.equal(new Set(given).size, 3, 'three clashing names, three hues');
  assert.equal(given[0], hueOfName(names[0]!), 'the first keeps the hue its name prefers');

  const ten = Array.from({ length: HUES.length }, (_, i) => member(`m${i}`, `person ${i}`));
  const tenHues = assignHues(ten);
  assert.equal(new Set(ten.map((m) => tenHues.hueOf(m))).size, HUES.length);
});

test('past the palette, hues repeat without failing; someone who left keeps their name’s hue', () => {
  const many = Array.from({ length: 25 }, (_, i) => member(`m${i}`, `guest${i}`));
  const hues = assignHues(many);
  for (const m of many) assert.ok(HUES.includes(hues.hueOf(m) as (typeof HUES)[number]));
  assert.equal(hues.hueOf(member('gone', 'Zed')), hueOfName('Zed'));
  // A line from a member present under an old id (before a reconnect) still shows their present hue.
  assert.equal(hues.hueOf(member('old-id', 'guest3')), hues.hueOf(member('m3', 'guest3')));
});
