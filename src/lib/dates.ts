/** The dates RFC 822 (RSS) and RFC 3339 (Atom, JSON Feed) can both write: years 0001 to 9999. */
const EARLIEST = -62135596800000; // 0001-01-01T00:00:00.000Z
const LATEST = 253402300799999; // 9999-12-31T23:59:59.999Z

/** Whether `t` (ms since the epoch, as Date.parse gives) is a date both formats can write. */
export function isWritableTime(t: number): boolean {
  return !Number.isNaN(t) && t >= EARLIEST && t <= LATEST;
}
