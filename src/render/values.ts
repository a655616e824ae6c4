/**
 * The values a rendered feed writes, made safe for every format in one place: links that are
 * http(s) URLs as the WHATWG URL parser serializes them, dates that RFC 822 and RFC 3339 can say,
 * language tags of the shape BCP 47 gives them.
 */
import { isWritableTime } from "../lib/dates.js";

/** `s` as an absolute http(s) URL, serialized by the URL parser; "" for anything else. */
export function httpUrl(s: string | undefined): string {
  if (!s) return "";
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch {
    return "";
  }
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return isWritableTime(t) ? t : undefined;
}

/** An RFC 822 date (RSS), or undefined for a date that is missing, unreadable or out of range. */
export function rfc822(iso: string | undefined): string | undefined {
  const t = time(iso);
  return t === undefined ? undefined : new Date(t).toUTCString();
}

/** An RFC 3339 date (Atom, JSON Feed), or undefined as `rfc822`. */
export function rfc3339(iso: string | undefined): string | undefined {
  const t = time(iso);
  return t === undefined ? undefined : new Date(t).toISOString();
}

/** A language tag of BCP 47's shape (a 2–3 or 5–8 letter language, then subtags), or undefined. */
export function languageTag(tag: string | undefined): string | undefined {
  const t = tag?.trim();
  return t && /^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z0-9]{1,8})*$/.test(t) && t.length <= 35 ? t : undefined;
}
