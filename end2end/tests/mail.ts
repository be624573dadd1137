import * as fs from "fs";
import * as path from "path";

// The server under test writes each message as an .eml file (see playwright.config.ts).
const MAIL_DIR = path.resolve(__dirname, "../../target/e2e-mail");

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

function parse(raw: string): Mail {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) =>
    headers.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ":"))?.slice(name.length + 1).trim() ?? "";
  let body = rest.join("\n\n");
  if (/quoted-printable/i.test(header("Content-Transfer-Encoding"))) {
    body = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return { to: header("To"), subject: header("Subject"), body };
}

/** Waits for a message to `to` whose subject contains `subject`. */
export async function waitForMail(to: string, subject: string, timeoutMs = 15_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(MAIL_DIR)) {
      for (const file of fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith(".eml"))) {
        const mail = parse(fs.readFileSync(path.join(MAIL_DIR, file), "utf8"));
        if (mail.to.includes(to) && mail.subject.includes(subject)) return mail;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} with subject containing "${subject}" in ${MAIL_DIR}`);
}
