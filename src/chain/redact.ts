/**
 * Keeps RPC secrets out of everything we print. A provider URL usually carries its API key in the path
 * (`/v2/<key>`, `/v3/<key>`), the query (`?apikey=`) or the userinfo (`https://user:key@host`), so the only parts
 * of an upstream URL that are ever shown are its scheme and host: `https://eth-mainnet.example.com/…`.
 */

const REDACTED = "<redacted>";

/** Scheme and host (with port) of `url`; anything after them, and any userinfo, becomes "…". Never throws. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "<unparsable url>";
  }
  if (!u.host) return `${u.protocol}…`;
  const hidden =
    u.username !== "" ||
    u.password !== "" ||
    (u.pathname !== "/" && u.pathname !== "") ||
    u.search !== "" ||
    u.hash !== "";
  return `${u.protocol}//${u.host}${hidden ? "/…" : ""}`;
}

/**
 * The parts of `url` that may be secret: the URL itself, everything after the host, the userinfo, every path
 * segment and every query value. Scheme and host are not secret (they are what `redactUrl` shows).
 */
export function urlSecrets(url: string): string[] {
  const out = new Set<string>([url]);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [...out];
  }
  out.add(u.href);
  const rest = `${u.pathname}${u.search}${u.hash}`;
  if (rest !== "/" && rest !== "") out.add(rest);
  if (u.search.length > 1) out.add(u.search.slice(1));
  for (const part of [u.username, u.password, ...u.pathname.split("/")]) {
    if (part !== "") {
      out.add(part);
      out.add(safeDecode(part));
    }
  }
  for (const [key, value] of u.searchParams) {
    if (value !== "") out.add(value);
    // `?SECRET` (a key without a value) is a secret too.
    else if (key !== "") out.add(key);
  }
  return [...out].filter((s) => s !== "");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The forms in which a secret can show up in text: as is, URL-encoded (either hex case), JSON-escaped. */
function variants(secret: string): string[] {
  const out = new Set<string>([secret]);
  for (const encoded of [encodeURIComponent(secret), encodeURI(secret)]) {
    out.add(encoded);
    out.add(encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  return [...out].filter((v) => v !== "");
}

/**
 * Secrets at least this long are replaced wherever they occur; shorter ones (a `?key=abc`, a `/eth/` path
 * segment) only where they stand alone as a token, so that "eth" in "eth_call" or "abc" inside a hex string
 * survive.
 */
const MIN_ANYWHERE = 8;
const TOKEN_CHAR = "A-Za-z0-9_\\-.~%";

/** Replaces every occurrence of every secret (also URL- or JSON-encoded) in `text` by "<redacted>". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const all = [...new Set(secrets.flatMap(variants))].sort((a, b) => b.length - a.length);
  if (all.length === 0) return text;
  const alternatives = all.map((v) =>
    v.length >= MIN_ANYWHERE ? escapeRegExp(v) : `(?<![${TOKEN_CHAR}])${escapeRegExp(v)}(?![${TOKEN_CHAR}])`,
  );
  return text.replace(new RegExp(alternatives.join("|"), "g"), REDACTED);
}

/** A redactor for one upstream URL: its secrets are removed and the URL is shown as `redactUrl` shows it. */
export function redactorFor(url: string): (text: string) => string {
  const secrets = urlSecrets(url);
  const shown = redactUrl(url);
  return (text) => {
    // The full URL first, so that it reads as its redacted form rather than "<redacted>".
    const withUrl = text.split(url).join(shown);
    return redactSecrets(withUrl, secrets);
  };
}

/** The message of any thrown value, redacted. */
export function redactError(err: unknown, redact: (text: string) => string): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const msg = err.message || err.name;
    return redact(code && !msg.includes(code) ? `${code}: ${msg}` : msg);
  }
  return redact(String(err));
}
