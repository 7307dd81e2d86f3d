// The settings dialog's Room size field: checked in the window with the same range main keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PEOPLE_RANGE, parsePeopleField } from '../../../src-renderer/components/settings-dialog';
import { ROOM_SIZE, ROOM_SIZE_RULE } from '../../../src-main/room/room-size';

test("the window's Room size range is main's", () => {
  assert.deepEqual(PEOPLE_RANGE, { min: ROOM_SIZE.min, max: ROOM_SIZE.max });
});

test('the field takes a whole number in range, spaces around it too, and says the range otherwise', () => {
  assert.deepEqual(parsePeopleField(' 120 '), { ok: true, people: 120 });
  assert.deepEqual(parsePeopleField('2'), { ok: true, people: 2 });
  assert.deepEqual(parsePeopleField('300'), { ok: true, people: 300 });
  for (const bad of ['', '1', '301', '12.5', '1e2', 'fifty', '-3', '9999999']) {
    const parsed = parsePeopleField(bad);
    assert.equal(parsed.ok, false, JSON.stringify(bad));
    assert.equal((parsed as { message: string }).message, ROOM_SIZE_RULE, 'the sentence main says too');
  }
});
