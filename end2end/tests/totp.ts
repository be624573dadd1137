import { createHmac } from "crypto";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/** The demo admins' authenticator key (src/demo/two_factor.rs): admins must sign in with a code. */
export const DEMO_ADMIN_KEY = "66QC5U75JDGWQH3273XDIBUIVZWHT76J";

/** RFC 4648 base 32 (no padding, spaces ignored) to bytes. */
export function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/\s/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, six digits, 30 s) an authenticator app shows at `seconds`. */
export function totp(secret: Buffer, seconds: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

// The last time step the demo admin signed in with, kept in a file: a code works once, so
// the next sign-in (in this test worker or a later one) takes the step after it. The server
// accepts one step ahead of its clock.
const STEP_FILE = join(tmpdir(), "partner-portal-e2e-admin-step");

function lastAdminStep(): number {
  return existsSync(STEP_FILE) ? Number(readFileSync(STEP_FILE, "utf8")) || 0 : 0;
}

/** The demo admin's next unused code, waiting for its time step when it is two ahead. */
export async function nextAdminCode(): Promise<string> {
  const now = Math.floor(Date.now() / 1000 / 30);
  const step = Math.max(now, lastAdminStep() + 1);
  if (step > now + 1) {
    await new Promise((resolve) => setTimeout(resolve, ((step - 1) * 30 + 1) * 1000 - Date.now()));
  }
  writeFileSync(STEP_FILE, String(step));
  return totp(base32(DEMO_ADMIN_KEY), step * 30);
}
