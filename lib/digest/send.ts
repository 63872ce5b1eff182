// Sending a rendered digest: mail through the SMTP server the environment names (nodemailer), a
// webhook through the guarded fetch (public addresses only). Errors are our own words: a
// transport's message may quote the webhook URL, which is a credential.
import "server-only";
import nodemailer from "nodemailer";
import { createGuardedFetch, type OutboundPolicy } from "../connectors/http/outbound";
import { AppError } from "../errors";
import type { Digest } from "./content";
import { renderHtml, renderSlack, renderText } from "./render";

export interface MailSettings {
  /** smtp://user:password@host:port or smtps://… */
  url: string;
  from: string;
}

/** A failed send: the message is safe to store and show (never the URL or a password). */
export class DeliveryError extends Error {}

export async function sendDigestMail(mail: MailSettings, to: string, digest: Digest<string>): Promise<void> {
  const transport = nodemailer.createTransport(mail.url);
  try {
    await transport.sendMail({ from: mail.from, to, subject: digest.title, text: renderText(digest), html: renderHtml(digest) });
  } catch (error) {
    const e = error as { code?: unknown; responseCode?: unknown; response?: unknown };
    const code = typeof e.code === "string" ? e.code : "error";
    // The server's own answer ("451 4.3.0 try again later") says why; it holds no credential of ours.
    const response = typeof e.response === "string" ? `: ${e.response.replace(/\s+/g, " ").slice(0, 200)}` : "";
    throw new DeliveryError(`the mail server did not take the message (${code}${typeof e.responseCode === "number" ? ` ${e.responseCode}` : ""})${response}`);
  } finally {
    transport.close();
  }
}

export async function postDigestWebhook(url: string, policy: OutboundPolicy, digest: Digest<string>): Promise<void> {
  const guarded = createGuardedFetch(policy);
  let response: Response;
  try {
    response = await guarded(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(renderSlack(digest)) });
  } catch (error) {
    if (error instanceof AppError && error.code === "SOURCE_REFUSED") {
      throw new DeliveryError("the webhook's host is not a public address, so it is not posted to (an admin can allow it with THROUGHLINE_FETCH_ALLOW)");
    }
    throw new DeliveryError("the webhook could not be reached, or did not answer in time");
  }
  await response.body?.cancel().catch(() => {});
  if (!response.ok) throw new DeliveryError(`the webhook answered ${response.status}`);
}
