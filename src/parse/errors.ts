/** The upstream body is not a feed we can read. The message says why, for /status and logs. */
export class ParseError extends Error {
  override name = "ParseError";
}
