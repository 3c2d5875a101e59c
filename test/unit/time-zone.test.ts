import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantOfLocal, localText, localWithOffset, offsetMinutesAt } from '../../src/wix/time-zone.js';
import { fromLocal, parseLocalIso, toLocalIso } from '../../src/emulator/time-zones.js';

/** The two copies of the same rule: the CLI's (slots output) and the emulator's (what the time slot APIs answer). */
const implementations = [
  ['CLI src/wix/time-zone.ts', (local: string, zone: string) => instantOfLocal(local, zone)],
  ['emulator src/emulator/time-zones.ts', (local: string, zone: string) => fromLocal(parseLocalIso(local)!, zone)],
] as const;

// 2026's transitions. East of UTC: Berlin (north), Sydney (south: DST ends in April, starts in October).
// West of UTC: New York (north), Santiago (south, and it changes at local midnight).
const cases: Array<{ what: string; zone: string; local: string; instant: string; printed: string }> = [
  // Autumn overlap: the wall clock runs twice through the hour; the earlier instant (the summer offset) wins.
  { what: 'overlap', zone: 'Europe/Berlin', local: '2026-10-25T02:30:00', instant: '2026-10-25T00:30:00.000Z', printed: '2026-10-25T02:30:00+02:00' },
  { what: 'overlap, first second', zone: 'Europe/Berlin', local: '2026-10-25T02:00:00', instant: '2026-10-25T00:00:00.000Z', printed: '2026-10-25T02:00:00+02:00' },
  { what: 'overlap, last second', zone: 'Europe/Berlin', local: '2026-10-25T02:59:59', instant: '2026-10-25T00:59:59.000Z', printed: '2026-10-25T02:59:59+02:00' },
  { what: 'just after the overlap', zone: 'Europe/Berlin', local: '2026-10-25T03:00:00', instant: '2026-10-25T02:00:00.000Z', printed: '2026-10-25T03:00:00+01:00' },
  { what: 'overlap', zone: 'Australia/Sydney', local: '2026-04-05T02:30:00', instant: '2026-04-04T15:30:00.000Z', printed: '2026-04-05T02:30:00+11:00' },
  { what: 'overlap', zone: 'America/New_York', local: '2026-11-01T01:30:00', instant: '2026-11-01T05:30:00.000Z', printed: '2026-11-01T01:30:00-04:00' },
  { what: 'overlap', zone: 'America/Santiago', local: '2026-04-04T23:30:00', instant: '2026-04-05T02:30:00.000Z', printed: '2026-04-04T23:30:00-03:00' },
  // Spring gap: the local time does not exist; it is read with the offset before the gap, so it lands the gap later.
  { what: 'gap', zone: 'Europe/Berlin', local: '2026-03-29T02:30:00', instant: '2026-03-29T01:30:00.000Z', printed: '2026-03-29T03:30:00+02:00' },
  { what: 'gap, first second', zone: 'Europe/Berlin', local: '2026-03-29T02:00:00', instant: '2026-03-29T01:00:00.000Z', printed: '2026-03-29T03:00:00+02:00' },
  { what: 'just before the gap', zone: 'Europe/Berlin', local: '2026-03-29T01:59:59', instant: '2026-03-29T00:59:59.000Z', printed: '2026-03-29T01:59:59+01:00' },
  { what: 'gap', zone: 'Australia/Sydney', local: '2026-10-04T02:30:00', instant: '2026-10-03T16:30:00.000Z', printed: '2026-10-04T03:30:00+11:00' },
  { what: 'gap', zone: 'America/New_York', local: '2026-03-08T02:30:00', instant: '2026-03-08T07:30:00.000Z', printed: '2026-03-08T03:30:00-04:00' },
  { what: 'gap at midnight', zone: 'America/Santiago', local: '2026-09-06T00:30:00', instant: '2026-09-06T04:30:00.000Z', printed: '2026-09-06T01:30:00-03:00' },
  // Plain times either side of the year, so a rule that only handles transitions cannot pass.
  { what: 'winter', zone: 'Australia/Sydney', local: '2026-07-01T09:00:00', instant: '2026-06-30T23:00:00.000Z', printed: '2026-07-01T09:00:00+10:00' },
  { what: 'summer', zone: 'America/Santiago', local: '2026-01-15T09:00:00', instant: '2026-01-15T12:00:00.000Z', printed: '2026-01-15T09:00:00-03:00' },
  { what: 'half-hour zone', zone: 'Asia/Kolkata', local: '2026-07-01T12:00:00', instant: '2026-07-01T06:30:00.000Z', printed: '2026-07-01T12:00:00+05:30' },
];

describe('local wall-clock time to instant across DST, the same in the CLI and the emulator', () => {
  for (const [name, toInstant] of implementations) {
    it.each(cases)(`${name}: $what, $local in $zone is $instant`, ({ zone, local, instant }) => {
      expect(new Date(toInstant(local, zone)).toISOString()).toBe(instant);
    });
  }

  it.each(cases)('CLI prints $local in $zone ($what) as $printed', ({ zone, local, printed, instant }) => {
    expect(localWithOffset(local, zone)).toBe(printed);
    // What the emulator writes back for that instant is the same wall clock.
    expect(toLocalIso(Date.parse(instant), zone)).toBe(printed.slice(0, 19));
  });

  it('the later reading of an overlap still prints with its own (winter) offset', () => {
    const later = Date.parse('2026-10-25T01:30:00.000Z');
    expect(localText(later, 'Europe/Berlin')).toBe('2026-10-25T02:30:00');
    expect(offsetMinutesAt(later, 'Europe/Berlin')).toBe(60);
    expect(offsetMinutesAt(Date.parse('2026-10-25T00:30:00.000Z'), 'Europe/Berlin')).toBe(120);
  });

  const zones = ['Europe/Berlin', 'Australia/Sydney', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
  // Minutes in 2025–2027, dense around nothing in particular: every transition of those years falls inside.
  const instants = fc.integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2028, 0, 1) / 60_000 }).map((minute) => minute * 60_000);

  it('round trip: an instant read back from its wall clock is itself, or the earlier reading of the same wall clock', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instants, (zone, ms) => {
        const local = localText(ms, zone);
        const back = instantOfLocal(local, zone);
        expect(localText(back, zone)).toBe(local);
        expect(back).toBeLessThanOrEqual(ms);
        // Only an overlap makes it earlier, and then by exactly the change of offset.
        if (back !== ms) expect((ms - back) / 60_000).toBe(offsetMinutesAt(back, zone) - offsetMinutesAt(ms, zone));
      }),
      { numRuns: 1_000 },
    );
  });

  /** Every instant in [from, to) where the zone's offset changes, to the minute (none of these zones changes twice in a week). */
  function transitions(zone: string, from: number, to: number): number[] {
    const found: number[] = [];
    const step = 7 * 86_400_000;
    for (let t = from; t < to; t += step) {
      if (offsetMinutesAt(t, zone) === offsetMinutesAt(t + step, zone)) continue;
      let [lo, hi] = [t, t + step];
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetMinutesAt(mid, zone) === offsetMinutesAt(lo, zone)) lo = mid;
        else hi = mid;
      }
      found.push(hi);
    }
    return found;
  }

  it('around every transition of 2025–2027, the CLI and the emulator read each wall clock the same, gaps and overlaps included', () => {
    let checked = 0;
    for (const zone of zones) {
      const changes = transitions(zone, Date.UTC(2025, 0, 1), Date.UTC(2028, 0, 1));
      // UTC and Kolkata have none; the DST zones two a year.
      expect(changes.length, zone).toBe(zone === 'UTC' || zone === 'Asia/Kolkata' ? 0 : 6);
      for (const change of changes) {
        const before = offsetMinutesAt(change - 60_000, zone);
        const after = offsetMinutesAt(change, zone);
        const wallAtChange = change + before * 60_000;
        // Every 10 minutes of wall clock from 2 hours before the change to 2 hours after.
        for (let wall = wallAtChange - 7_200_000; wall <= wallAtChange + 7_200_000; wall += 600_000) {
          const local = new Date(wall).toISOString().slice(0, 19);
          const cli = instantOfLocal(local, zone);
          expect(cli, `${local} in ${zone}`).toBe(fromLocal(parseLocalIso(local)!, zone));
          // It names that wall clock, at the earliest instant that does; or the wall clock is in a gap.
          const readings = [before, after].map((offset) => wall - offset * 60_000).filter((instant) => localText(instant, zone) === local);
          if (readings.length > 0) expect(cli, `${local} in ${zone}`).toBe(Math.min(...readings));
          else expect(cli, `${local} in ${zone}: a gap is read with the offset before it`).toBe(wall - before * 60_000);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
